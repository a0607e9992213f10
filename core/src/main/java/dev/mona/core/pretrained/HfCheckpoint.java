package dev.mona.core.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.io.SafetensorsFile;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.Encoder;
import dev.mona.core.model.Params;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Published Hugging Face weights of the source encoders ({@code model.safetensors}) and their loading into the
 * project's encoders: the checkpoint's model prefix ({@code swin.}, {@code roberta.}) is removed, buffers and
 * heads the encoder does not use are skipped, every encoder parameter must be present with exactly the shape the
 * configuration expects; anything else is a {@link PretrainedWeightsException} naming the parameter and both
 * shapes.
 * <p>
 * Download location: {@code ENDPOINT/REPO/resolve/REVISION/model.safetensors}, where ENDPOINT is the
 * environment variable (or system property) {@value #ENDPOINT_ENV}, else {@code HF_ENDPOINT} (the variable the
 * Hugging Face tools read, e.g. a mirror), else {@value #DEFAULT_ENDPOINT}.
 */
public final class HfCheckpoint {
    /** Environment variable / system property overriding the Hugging Face endpoint for mona only. */
    public static final String ENDPOINT_ENV = "MONA_HF_ENDPOINT";
    /** The Hugging Face tools' own endpoint variable, used when {@value #ENDPOINT_ENV} is unset. */
    public static final String HF_ENDPOINT_ENV = "HF_ENDPOINT";
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /**
     * A published source encoder.
     *
     * @param repo     Hugging Face repository id
     * @param revision git revision (branch, tag or commit)
     * @param file     weights file in the repository
     * @param prefix   prefix of the encoder's parameters in the file
     * @param sizeBytes size of the file when known, else -1
     */
    public record Published(String repo, String revision, String file, String prefix, long sizeBytes) {
        /** {@code microsoft/swin-base-patch4-window7-224-in22k} (SwinForImageClassification, 21,841 classes). */
        public static final Published SWIN_BASE_IN22K = new Published("microsoft/swin-base-patch4-window7-224-in22k",
                "main", "model.safetensors", "swin.", -1);
        /** {@code roberta-base} (RobertaForMaskedLM). */
        public static final Published ROBERTA_BASE = new Published("FacebookAI/roberta-base", "main",
                "model.safetensors", "roberta.", -1);

        /** The download URL under the configured endpoint. */
        public URI url() {
            return URI.create(endpoint() + "/" + repo + "/resolve/" + revision + "/" + file);
        }

        /** As a {@link DataFile} for the downloader (digest recorded at first download). */
        public DataFile dataFile() {
            return new DataFile(repo.replace("/", "--") + "--" + file, List.of(url().toString()), sizeBytes, null);
        }
    }

    private HfCheckpoint() {}

    /**
     * The weights file of {@code published}, downloaded once into the content cache of {@code fetcher} (resumed,
     * size- and digest-checked, digest recorded at the first download). The cache key's "task" is
     * {@code hf-REPO}, so {@code MONA_MIRROR_HF_<REPO>} or {@code MONA_MIRROR} also override the address.
     */
    public static Path fetch(Published published, DatasetFetcher fetcher) throws IOException {
        return fetcher.fetch("hf-" + published.repo(), published.dataFile());
    }

    /** {@code microsoft/swin-base-patch4-window7-224-in22k} loaded into a Swin-B encoder (fetched when absent). */
    public static Params swinBase(NDManager manager, DatasetFetcher fetcher) throws IOException {
        return load(fetch(Published.SWIN_BASE_IN22K, fetcher), SwinConfig.swinBasePatch4Window7_224().build(),
                Published.SWIN_BASE_IN22K.prefix(), HfCheckpoint::swinIgnored, manager);
    }

    /** {@code roberta-base} loaded into a RoBERTa-base encoder (fetched when absent). */
    public static Params robertaBase(NDManager manager, DatasetFetcher fetcher) throws IOException {
        return load(fetch(Published.ROBERTA_BASE, fetcher), BertConfig.robertaBase().build(),
                Published.ROBERTA_BASE.prefix(), HfCheckpoint::textIgnored, manager);
    }

    /** The configured Hugging Face endpoint, without a trailing slash. */
    public static String endpoint() {
        for (String key : List.of(ENDPOINT_ENV, HF_ENDPOINT_ENV)) {
            String v = System.getProperty(key);
            if (v == null || v.isBlank()) {
                v = System.getenv(key);
            }
            if (v != null && !v.isBlank()) {
                return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
            }
        }
        return DEFAULT_ENDPOINT;
    }

    /** True for Swin checkpoint names the encoder recomputes or does not use (index buffers, classifier). */
    public static boolean swinIgnored(String name) {
        return name.endsWith("relative_position_index") || name.startsWith("classifier.")
                || name.endsWith("mask_token");
    }

    /** True for BERT / RoBERTa checkpoint names that are buffers or heads mona does not use. */
    public static boolean textIgnored(String name) {
        return name.endsWith("position_ids") || name.endsWith("token_type_ids") || name.contains("pooler.")
                || name.startsWith("lm_head.") || name.startsWith("cls.") || name.startsWith("classifier.");
    }

    /**
     * Loads {@code file} into the parameters of {@code encoder}: names are the file's names with {@code prefix}
     * removed (names without it are taken as they are), {@code ignored} names (checked on the unprefixed name)
     * are skipped; the arrays are created in {@code manager} as float32.
     */
    public static Params load(Path file, Encoder encoder, String prefix, Predicate<String> ignored,
                              NDManager manager) {
        Map<String, Shape> want = encoder.parameterShapes();
        Map<String, NDArray> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> local = new LinkedHashMap<>();
            for (String name : st.tensors().keySet()) {
                String n = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
                if (ignored.test(n)) {
                    continue;
                }
                if (!want.containsKey(n)) {
                    unknown.add(name);
                    continue;
                }
                local.put(n, name);
            }
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Shape> e : want.entrySet()) {
                String inFile = local.get(e.getKey());
                if (inFile == null) {
                    missing.add(prefix + e.getKey());
                    continue;
                }
                long[] have = st.info(inFile).shape();
                if (!Arrays.equals(have, e.getValue().getShape())) {
                    throw new PretrainedWeightsException(file + ": parameter '" + inFile + "' has shape "
                            + Arrays.toString(have) + " but the encoder configuration expects "
                            + Arrays.toString(e.getValue().getShape()) + " for '" + e.getKey()
                            + "'; is the file for another model size?");
                }
            }
            if (!missing.isEmpty() || !unknown.isEmpty()) {
                throw new PretrainedWeightsException(file + ": " + missing.size() + " encoder parameters missing "
                        + head(missing) + " and " + unknown.size() + " unexpected names " + head(unknown)
                        + "; is the file for this architecture (expected prefix '" + prefix + "')?");
            }
            for (String n : want.keySet()) {
                out.put(n, st.toNDArray(local.get(n), manager));
            }
        }
        return Params.of(out);
    }

    private static List<String> head(List<String> names) {
        return names.size() <= 5 ? names : names.subList(0, 5);
    }
}
