package dev.mona.activities.stage;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunConfig;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.fetch.ContentCache;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.offline.FashionMnist;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.pretrained.Cifar10;
import dev.mona.core.pretrained.HfCheckpoint;
import dev.mona.core.pretrained.HfConfigs;
import dev.mona.core.pretrained.HfFiles;
import dev.mona.core.pretrained.MiniLm;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.pretrained.PretrainedWeightsException;
import dev.mona.core.pretrained.SourceEncoder;
import dev.mona.core.pretrained.SpamAssassin;
import dev.mona.core.task.TaskSpec;
import dev.mona.workflows.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Source stage: the pretrained source encoder and its labelled source sets, by name ({@link SourceEncoder}):
 * <ul>
 *   <li>{@code swin-base} ({@code microsoft/swin-base-patch4-window7-224-in22k}) and {@code roberta-base}, ORCA's
 *       sources, fetched once with {@link HfFiles} (checksummed into mona's content cache) and loaded strictly with
 *       {@link HfCheckpoint} (a missing tensor or a shape that differs from {@code config.json}'s is a typed error
 *       naming the tensor); source sets: CIFAR-10 (ORCA's) or Fashion-MNIST for Swin, SpamAssassin through
 *       RoBERTa's own tokenizer for RoBERTa (CoNLL-2003, ORCA's text, has no reproducible download);</li>
 *   <li>{@code fashion-mnist-vit} (a ViT pretrained here on Fashion-MNIST) and {@code minilm} (all-MiniLM-L6-v2;
 *       source text SpamAssassin): offline.</li>
 * </ul>
 * The default source of a task is chosen once, at submission, by {@link #choose}, and the request then carries
 * its name.
 */
public final class SourceStage {
    private static final Logger LOG = LoggerFactory.getLogger(SourceStage.class);

    private SourceStage() {}

    public static final String IMPLEMENTATION = "core:pretrained-sources";
    public static final String VIT = ConfigKeys.VIT;
    public static final String MINILM = ConfigKeys.MINILM;
    public static final String SWIN_BASE = ConfigKeys.SWIN_BASE;
    public static final String ROBERTA_BASE = ConfigKeys.ROBERTA_BASE;
    /** Tokens per source text (RoBERTa, MiniLM): [CLS]/&lt;s&gt;, text, [SEP]/&lt;/s&gt;, padding. */
    public static final int TEXT_TOKENS = 64;

    /**
     * The source a run uses and why.
     *
     * @param name   source name
     * @param reason one line: requested, or which default rule chose it
     */
    public record Choice(String name, String reason) {
    }

    /** The source a submission without {@code --source} gets for a catalogue task ({@link #choose}). */
    public static String encoderFor(TaskSpec t) {
        return decide("", t).name();
    }

    /**
     * The encoder name a request names for {@code task}, checked to fit the task's inputs; empty means the task's
     * offline source (what a request carries when {@link #choose} picked it, see {@link #canonical}).
     */
    public static String resolve(String requested, String task) {
        TaskSpec t = TaskStage.spec(task);
        if (requested == null || requested.isBlank()) {
            return SourceEncoder.offlineFor(textFamily(t)).id();
        }
        return checked(requested, t).id();
    }

    /** The form a request carries: empty for the task's offline source (so both spellings share a run id). */
    public static String canonical(String name, String task) {
        String resolved = resolve(name, task);
        return resolved.equals(resolve("", task)) ? "" : resolved;
    }

    /** {@link #choose(String, TaskSpec)} for a task name. */
    public static Choice choose(String requested, String task) {
        return choose(requested, TaskStage.spec(task));
    }

    /**
     * The source for {@code task}, decided once at submission: the one requested (checked to fit the task's
     * inputs), else the default rule: ORCA's source of the task's family (Swin-B for 2-D inputs, RoBERTa for 1-D;
     * a spec task preferring the ViT for 1-D inputs keeps it) when its files are available without probing the
     * network ({@link HfFiles#availability}: mona's content cache, a
     * local-directory {@code MONA_HF_ENDPOINT}, the Hugging Face cache, or an endpoint the user set), otherwise the
     * offline source (the Fashion-MNIST ViT, MiniLM). Logged with the reason.
     */
    public static Choice choose(String requested, TaskSpec t) {
        Choice c = decide(requested, t);
        LOG.info("source {} for task {}: {}", c.name(), t.name(), c.reason());
        return c;
    }

    private static Choice decide(String requested, TaskSpec t) {
        if (requested != null && !requested.isBlank()) {
            return new Choice(checked(requested, t).id(), "requested");
        }
        boolean text = textFamily(t);
        SourceEncoder orca = SourceEncoder.orcaFor(text);
        SourceEncoder offline = SourceEncoder.offlineFor(text);
        String inputs = oneDimensional(t) ? "1-D" : "2-D";
        if (text != oneDimensional(t)) {
            // a spec task may prefer the ViT for 1-D inputs: Swin-B cannot take them
            return new Choice(offline.id(), "default of the task's source family; ORCA's " + orca.id()
                    + " cannot take its " + inputs + " inputs");
        }
        Optional<String> where = HfFiles.availability(orca.repo(), orca.revision(), orca.files(),
                ContentCache.defaultCache());
        if (where.isPresent()) {
            return new Choice(orca.id(), "default for " + inputs + " inputs: ORCA's source, as " + where.get());
        }
        return new Choice(offline.id(), "default for " + inputs + " inputs: the offline source, as ORCA's "
                + orca.id() + " is not available (" + HfFiles.unavailableReason(orca.repo(), orca.revision())
                + "; set " + HfCheckpoint.ENDPOINT_ENV + " or pass --source " + orca.id() + ")");
    }

    /** The task's source family is text (RoBERTa, MiniLM): catalogue 1-D tasks, spec tasks preferring MiniLM. */
    private static boolean textFamily(TaskSpec t) {
        return "roberta".equals(t.encoder());
    }

    private static boolean oneDimensional(TaskSpec t) {
        return t.inputShape().length == 2;
    }

    private static SourceEncoder checked(String requested, TaskSpec t) {
        boolean oneD = oneDimensional(t);
        SourceEncoder s;
        try {
            s = SourceEncoder.byId(requested);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("unknown source encoder '" + requested.strip() + "' for task "
                    + t.name() + "; available: " + String.join(", ", SourceEncoder.ids()));
        }
        if (!oneD && s.text()) {
            throw new InvalidRequestException("source encoder '" + s.id() + "' is a text encoder and cannot serve "
                    + "task " + t.name() + " (2-D inputs); use " + SWIN_BASE + " or " + VIT);
        }
        if (oneD && s == SourceEncoder.SWIN_BASE) {
            throw new InvalidRequestException("source encoder '" + s.id() + "' needs 2-D inputs and cannot serve "
                    + "task " + t.name() + " (1-D inputs); use " + ROBERTA_BASE + ", " + MINILM + " or " + VIT);
        }
        return s;
    }

    /** The encoder configuration of a prepared source: fixed by the name, or the recorded {@code config.json}. */
    public static EncoderConfig encoderConfig(String source, String hfConfig) {
        SourceEncoder s = SourceEncoder.byId(source);
        return switch (s) {
            case FASHION_MNIST_VIT -> Pretrain.Config.fashionMnist().vit();
            case MINILM -> BertConfig.allMiniLmL6V2();
            case SWIN_BASE, ROBERTA_BASE -> {
                if (hfConfig == null || hfConfig.isBlank()) {
                    throw new IllegalStateException("source " + source + " was prepared without its config.json");
                }
                yield HfConfigs.parse(s.repo(), hfConfig);
            }
        };
    }

    /**
     * Source weights (safetensors, encoder-local names) plus the labelled source and probe sets.
     *
     * @param encoderConfig the published {@code config.json} (empty for offline sources)
     * @param provenance    repository, revision, file digests and origins, source set
     */
    public record Prepared(Path weights, DataSplit sourceSet, DataSplit probeSet, int classes, String encoderConfig,
                           Map<String, String> provenance) {
    }

    /** Prepares source {@code encoder}: writes its weights to {@code weightsFile}. */
    public static Prepared prepareCore(String encoder, RunConfig c, NDManager manager, Path weightsFile) {
        int n = c.integer("source.samples");
        SourceEncoder s = SourceEncoder.byId(encoder);
        try {
            return switch (s) {
                case FASHION_MNIST_VIT -> vit(c, manager, weightsFile, n);
                case MINILM -> minilm(manager, weightsFile, n);
                case SWIN_BASE, ROBERTA_BASE -> published(s, c, manager, weightsFile, n);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare source " + encoder + ": " + e.getMessage(), e);
        }
    }

    private static Prepared vit(RunConfig c, NDManager manager, Path weightsFile, int n) {
        OfflineData data = OfflineData.fromEnvironment();
        Pretrain.Config cfg = c.vitSource();
        Pretrain.Result r = Pretrain.fashionMnist(manager, data, cfg, null);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("mona.kind", "pretrained-source-encoder");
        meta.put("mona.vit", cfg.vit().toString());
        meta.put("mona.test_accuracy", Double.toString(r.testAccuracy()));
        ParamsIO.save(weightsFile, r.encoderParams(), meta);
        FashionMnist fashion = new FashionMnist(data);
        // class-balanced sets need a multiple of 10
        int m = Math.max(10, n / 10 * 10);
        return new Prepared(weightsFile, fashion.sourceSet(m, 0), fashion.probeSet(m, 0), 10, "",
                Map.of("sourceSet", ConfigKeys.FASHION_MNIST_SET));
    }

    private static Prepared minilm(NDManager manager, Path weightsFile, int n) {
        Params p = MiniLm.params(manager, MiniLm.weights());
        ParamsIO.save(weightsFile, p, Map.of("mona.kind", "pretrained-source-encoder", "mona.encoder",
                "all-MiniLM-L6-v2"));
        SpamAssassin.LabelledText text = new SpamAssassin(OfflineData.fromEnvironment())
                .load(2 * n, TEXT_TOKENS, SpamAssassin.Labels.GROUPS, 0);
        return text(text, weightsFile, "", Map.of("sourceSet", "spamassassin"));
    }

    private static Prepared published(SourceEncoder s, RunConfig c, NDManager manager, Path weightsFile, int n)
            throws IOException {
        DatasetFetcher fetcher = DatasetFetcher.defaults();
        HfFiles.Fetched f = HfFiles.fetch(s.repo(), s.revision(), s.files(), fetcher);
        String json = Files.readString(f.file("config.json"));
        EncoderConfig cfg = HfConfigs.parse(s.repo(), json);
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("repo", s.repo());
        prov.put("revision", s.revision());
        f.sha256().forEach((file, d) -> prov.put("sha256." + file, d));
        f.origins().forEach((file, o) -> prov.put("origin." + file, o));
        Path weights = f.file("model.safetensors");
        if (s == SourceEncoder.SWIN_BASE) {
            if (!(cfg instanceof SwinConfig swin)) {
                throw new PretrainedWeightsException(s.repo() + ": config.json describes a " + cfg.getClass()
                        .getSimpleName() + ", not the Swin that source " + s.id() + " is");
            }
            Params p = HfCheckpoint.load(weights, swin.build(), SwinConfig.CHECKPOINT_PREFIX,
                    HfCheckpoint::swinIgnored, manager);
            save(weightsFile, p, s, f);
            String set = c.value("source.set");
            prov.put("sourceSet", set);
            DataSplit[] sets = ConfigKeys.CIFAR10_SET.equals(set)
                    ? Cifar10.fetch(fetcher).sourceAndProbe(n, 0)
                    : fashionMnist(n, swin.inChannels());
            if (ConfigKeys.CIFAR10_SET.equals(set)) {
                prov.put("sha256." + Cifar10.ARCHIVE.name(), Cifar10.ARCHIVE.sha256());
            }
            LOG.info("source {}: {}@{} ({} parameters), source set {} x {}", s.id(), s.repo(), s.revision(),
                    p.size(), n, set);
            return new Prepared(weightsFile, sets[0], sets[1], 10, json, prov);
        }
        if (!(cfg instanceof BertConfig bert)) {
            throw new PretrainedWeightsException(s.repo() + ": config.json describes a " + cfg.getClass()
                    .getSimpleName() + ", not the RoBERTa that source " + s.id() + " is");
        }
        Params p = HfCheckpoint.load(weights, bert.build(), bert.checkpointPrefix(), HfCheckpoint::textIgnored,
                manager);
        save(weightsFile, p, s, f);
        prov.put("sourceSet", "spamassassin");
        SpamAssassin.LabelledText text;
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(f.file("tokenizer.json"),
                Map.of("addSpecialTokens", "true"))) {
            text = new SpamAssassin(OfflineData.fromEnvironment()).load(2 * n, Math.min(TEXT_TOKENS,
                    bert.maxTokens()), SpamAssassin.Labels.GROUPS, 0, tok, bert.padTokenId());
        }
        LOG.info("source {}: {}@{} ({} parameters), source text SpamAssassin x {} through its tokenizer", s.id(),
                s.repo(), s.revision(), p.size(), n);
        return text(text, weightsFile, json, prov);
    }

    private static void save(Path weightsFile, Params p, SourceEncoder s, HfFiles.Fetched f) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("mona.kind", "pretrained-source-encoder");
        meta.put("mona.encoder", s.id());
        meta.put("mona.repo", s.repo() + "@" + s.revision());
        meta.put("mona.sha256", f.sha256().get("model.safetensors"));
        ParamsIO.save(weightsFile, p, meta);
    }

    private static Prepared text(SpamAssassin.LabelledText text, Path weightsFile, String json,
                                 Map<String, String> prov) {
        DataSplit all = text.asDataSplit();
        // alternate rows: both halves keep the load's class balance
        int[] even = IntStream.range(0, all.size()).filter(i -> i % 2 == 0).toArray();
        int[] odd = IntStream.range(0, all.size()).filter(i -> i % 2 == 1).toArray();
        return new Prepared(weightsFile, new DataSplit(all.x().rows(even), all.y().rows(even)),
                new DataSplit(all.x().rows(odd), all.y().rows(odd)), text.classes(), json, prov);
    }

    /** Fashion-MNIST source and probe sets with the grey channel repeated to {@code channels}. */
    private static DataSplit[] fashionMnist(int n, int channels) {
        FashionMnist fashion = new FashionMnist(OfflineData.fromEnvironment());
        int m = Math.max(10, n / 10 * 10);
        return new DataSplit[]{repeatChannels(fashion.sourceSet(m, 0), channels),
                repeatChannels(fashion.probeSet(m, 0), channels)};
    }

    private static DataSplit repeatChannels(DataSplit s, int channels) {
        long[] shape = s.x().shape();
        int n = (int) shape[0];
        int plane = (int) (shape[2] * shape[3]);
        float[] in = s.x().data();
        float[] out = new float[n * channels * plane];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < channels; ch++) {
                System.arraycopy(in, i * plane, out, (i * channels + ch) * plane, plane);
            }
        }
        return new DataSplit(new HostTensor(out, new long[]{n, channels, shape[2], shape[3]}), s.y());
    }
}
