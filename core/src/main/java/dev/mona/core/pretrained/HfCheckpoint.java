package dev.mona.core.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.io.SafetensorsFile;
import dev.mona.core.model.Encoder;
import dev.mona.core.model.Params;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Published Hugging Face weights of the source encoders ({@code model.safetensors}, fetched by {@link HfFiles}) and
 * their loading into the project's encoders: the checkpoint's model prefix ({@code swin.}, {@code roberta.}) is removed, buffers and
 * heads the encoder does not use are skipped, every encoder parameter must be present with exactly the shape the
 * configuration expects; anything else is a {@link PretrainedWeightsException} naming the parameter and both
 * shapes.
 * <p>
 * The endpoint {@link HfFiles} fetches from: the environment variable (or system property) {@value #ENDPOINT_ENV},
 * else {@code HF_ENDPOINT} (the variable the Hugging Face tools read, e.g. a mirror), else
 * {@value #DEFAULT_ENDPOINT}.
 */
public final class HfCheckpoint {
    /** Environment variable / system property overriding the Hugging Face endpoint for mona only. */
    public static final String ENDPOINT_ENV = "MONA_HF_ENDPOINT";
    /** The Hugging Face tools' own endpoint variable, used when {@value #ENDPOINT_ENV} is unset. */
    public static final String HF_ENDPOINT_ENV = "HF_ENDPOINT";
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private HfCheckpoint() {}

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
