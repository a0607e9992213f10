package dev.mona.core.config;

import dev.mona.core.analysis.LinearProbe;
import dev.mona.core.analysis.Tsne;
import dev.mona.core.data.DataSplit;
import dev.mona.core.engine.Precision;
import dev.mona.core.method.HvpMode;
import dev.mona.core.method.Method;
import dev.mona.core.method.MonaConfig;
import dev.mona.core.method.OrcaConfig;
import dev.mona.core.method.Stage1Options;
import dev.mona.core.method.UniformityPairs;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run's resolved configuration: every key that applies to its task, method and source encoder, in canonical
 * form (see {@link ConfigKeys}). It is what the manifest and the ONNX metadata record, what the stage-cache keys
 * cover, and the only thing the stages read their settings from: the config records of core are built here.
 *
 * @param values key to canonical value, sorted
 */
public record RunConfig(SortedMap<String, String> values) {
    public RunConfig {
        values = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public int integer(String key) {
        return Integer.parseInt(value(key));
    }

    public double number(String key) {
        return Double.parseDouble(value(key));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(value(key));
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return Enum.valueOf(type, value(key).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The canonical value of {@code key}; an error when the key was not resolved for this run. */
    public String value(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("configuration key " + ConfigKeys.get(key).name()
                    + " is not part of this run's configuration " + values.keySet());
        }
        return v;
    }

    /** The values of {@code keys} (what one stage depends on: its cache key), sorted. */
    public TreeMap<String, String> subset(String... keys) {
        TreeMap<String, String> out = new TreeMap<>();
        for (String k : keys) {
            out.put(k, value(k));
        }
        return out;
    }

    /** The number format of fine-tuning's and the probe's linear-layer products ({@code precision}). */
    public Precision precision() {
        return choice("precision", Precision.class);
    }

    /** Fine-tuning (stage 2). */
    public TrainConfig train() {
        return new TrainConfig(integer("epochs"), integer("batch"), integer("accumulation"),
                choice("optimizer", OptimizerKind.class), number("lr"), number("weight.decay"), number("momentum"),
                integer("warmup.epochs"), number("clip.norm"), integer("decay-epochs"), number("adam.beta1"),
                number("adam.beta2"));
    }

    /**
     * The 1-D embedder's token budget ({@code target-seq-len}); 0 for a task of 2-D inputs, whose configuration
     * has no such key.
     */
    public int targetSeqLen() {
        return values.containsKey("target-seq-len") ? integer("target-seq-len") : 0;
    }

    /** Name patterns ({@code dev.mona.core.train.ParameterFilter}) of the parameters fine-tuning keeps fixed. */
    public List<String> freeze() {
        String v = value("freeze");
        return v.equals("none") ? List.of()
                : java.util.Arrays.stream(v.split("\\+")).map(part -> part + ".*").toList();
    }

    /**
     * The N of an {@code updates:N} stage-1 budget ({@link ConfigKeys#STAGE1_BUDGET}); empty under the per-method
     * rule.
     */
    public OptionalLong stage1Updates() {
        String b = value(ConfigKeys.STAGE1_BUDGET);
        return b.startsWith(ConfigKey.Budget.UPDATES)
                ? OptionalLong.of(Long.parseLong(b.substring(ConfigKey.Budget.UPDATES.length())))
                : OptionalLong.empty();
    }

    /**
     * Whether {@code method} runs a stage 1 of at least one step under this configuration (an update budget, else
     * Emb's and ORCA's {@code align.epochs}, MoNA's {@code align.steps}): ORCA then warm-starts the embedder from the
     * pretrained embeddings ({@code embedder_init} with {@code train_embedder}).
     */
    public boolean stage1Runs(String method) {
        return switch (method) {
            case "emb", "orca", "mona" -> stage1Updates().isPresent()
                    || integer(method.equals("mona") ? "align.steps" : "align.epochs") > 0;
            default -> false;
        };
    }

    /** Emb's stage 1: {@code align.epochs}, or the epochs nearest to the update budget. */
    public Method.EmbedderWarmup embedderWarmup() {
        OptionalLong budget = stage1Updates();
        return budget.isPresent() ? new Method.EmbedderWarmup(0, flag("emb.predictor"), budget.getAsLong())
                : new Method.EmbedderWarmup(integer("align.epochs"), flag("emb.predictor"));
    }

    /**
     * ORCA's stage 1 ({@code align.epochs} embedder epochs, or the update budget's), its source samples capped at the
     * {@code available} labelled source samples.
     */
    public OrcaConfig orca(long seed, int available) {
        return new OrcaConfig(stage1Length("align.epochs"), Math.min(integer("orca.source-samples"), available),
                number("orca.reg"), integer("orca.pseudo-classes"), integer("orca.per-class"), integer("batch"),
                integer("orca.chunk"), choice("orca.optimizer", OptimizerKind.class), number("orca.lr"),
                number("weight.decay"), number("momentum"), number("adam.beta1"), number("adam.beta2"),
                ConfigKey.IntList.values(value("orca.lr-milestones")), number("orca.lr-gamma"), seed);
    }

    /**
     * Stage 1 of {@code method} ({@code scratch}, {@code ft}, {@code emb}, {@code orca}, {@code mona}) as this
     * configuration sets it, its source batch sized to the labelled {@code source} set.
     */
    public Method method(String method, long seed, DataSplit source) {
        return switch (method) {
            case "scratch" -> new Method.Scratch(seed);
            case "ft" -> new Method.FineTune();
            case "emb" -> embedderWarmup();
            case "orca" -> new Method.Orca(orca(seed, source.size()));
            case "mona" -> new Method.Mona(mona(seed, source));
            default -> throw new ConfigException("unknown method '" + method + "'; choose one of "
                    + String.join(", ", RunContext.METHODS));
        };
    }

    /**
     * MoNA's stage 1 on the labelled {@code source} set: a small set may hold fewer classes, or fewer samples a
     * class, than the source batch asks for; the batch takes what the set holds (at least 2 samples a class).
     */
    public MonaConfig mona(long seed, DataSplit source) {
        Map<Integer, Integer> perClass = new TreeMap<>();
        for (float v : source.y().data()) {
            perClass.merge(Math.round(v), 1, Integer::sum);
        }
        int classes = Math.min(integer("mona.classes"), perClass.size());
        int fewest = perClass.values().stream().sorted(Comparator.reverseOrder()).limit(Math.max(1, classes))
                .min(Integer::compare).orElse(2);
        return mona(seed, classes, fewest);
    }

    /**
     * MoNA's stage 1; the source batch capped at {@code classes} and at {@code perClass} samples a class (at least
     * 2, so same-class pairs exist).
     */
    public MonaConfig mona(long seed, int classes, int perClass) {
        return new MonaConfig(number("mona.alpha"), number("mona.lambda"), number("mona.temperature"),
                stage1Length("align.steps"), flag("mona.predictor-inner"), choice("mona.pairs", UniformityPairs.class),
                Math.max(1, Math.min(integer("mona.classes"), classes)),
                Math.max(2, Math.min(integer("mona.per-class"), perClass)), integer("mona.target-batch"),
                choice("mona.optimizer", OptimizerKind.class), number("mona.beta"), choice("mona.hvp", HvpMode.class),
                integer("mona.diagnostics-every"), seed);
    }

    /** The update budget when there is one, else the method's own length key {@code key}. */
    private int stage1Length(String key) {
        OptionalLong budget = stage1Updates();
        return budget.isPresent() ? Math.toIntExact(budget.getAsLong()) : integer(key);
    }

    /** Stage 1's checkpoints (Emb, ORCA, MoNA): into {@code dir} every {@code align.checkpoint-every} steps. */
    public Stage1Options stage1(Path dir) {
        return Stage1Options.none().withCheckpoints(dir, integer("align.checkpoint-every"));
    }

    /** The linear probe. */
    public LinearProbe.Config probe() {
        LinearProbe.Config d = LinearProbe.Config.defaults();
        return new LinearProbe.Config(number("probe.l2"), integer("probe.epochs"), d.tolerance(), d.history());
    }

    /** The fine-tuning epochs the linear probe measures, ascending (0: the model fine-tuning starts from). */
    public List<Integer> probeEpochs() {
        return ConfigKey.IntList.values(value("probe.at-epochs"));
    }

    /** The t-SNE maps of the source features, seeded with the run's seed. */
    public Tsne.Config tsne(long seed) {
        Tsne.Config d = Tsne.Config.defaults(seed);
        return new Tsne.Config(number("tsne.perplexity"), integer("tsne.iterations"), d.learningRate(), seed);
    }

    /** The ViT source encoder's pretraining on Fashion-MNIST. */
    public Pretrain.Config vitSource() {
        Pretrain.Config d = Pretrain.Config.fashionMnist();
        return new Pretrain.Config(d.vit(), d.train().withEpochs(integer("source.epochs")), d.validationSize(),
                integer("source.limit"), d.seed());
    }
}
