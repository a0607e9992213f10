package dev.mona.core.config;

import dev.mona.core.analysis.LinearProbe;
import dev.mona.core.analysis.Tsne;
import dev.mona.core.config.ConfigKey.Applies;
import dev.mona.core.config.ConfigKey.Budget;
import dev.mona.core.config.ConfigKey.Choice;
import dev.mona.core.config.ConfigKey.Flag;
import dev.mona.core.config.ConfigKey.Int;
import dev.mona.core.config.ConfigKey.IntList;
import dev.mona.core.config.ConfigKey.Real;
import dev.mona.core.method.HvpMode;
import dev.mona.core.method.Method;
import dev.mona.core.method.MonaConfig;
import dev.mona.core.method.OrcaConfig;
import dev.mona.core.method.Stage1Options;
import dev.mona.core.method.UniformityPairs;
import dev.mona.core.offline.FashionMnist;
import dev.mona.core.pretrained.SpamAssassin;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every configuration key of a run, in resolution order (a default may read the keys before it): the data, the
 * source encoder, fine-tuning (stage 2), the stage-1 methods and the linear probe. The one place where keys,
 * types, ranges, defaults and meanings are defined; {@code mona tasks --keys}, {@code mona run --dry-run}, the
 * README table and every stage read them from here.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    /** The Fashion-MNIST ViT source encoder (image-like inputs). */
    public static final String VIT = "fashion-mnist-vit";
    /** all-MiniLM-L6-v2 (1-D inputs). */
    public static final String MINILM = "minilm";

    /** The key of the stage-1 budget rule ({@link Budget}). */
    public static final String STAGE1_BUDGET = "stage1.budget";

    private static final Choice OPTIMIZERS = Choice.of(OptimizerKind.class);
    private static final TrainConfig VIT_PRETRAIN = Pretrain.Config.fashionMnist().train();
    private static final LinearProbe.Config PROBE = LinearProbe.Config.defaults();
    private static final Tsne.Config TSNE = Tsne.Config.defaults(0);
    private static final OrcaConfig ORCA = OrcaConfig.defaults(new TrainConfig(1, 1, 1, OptimizerKind.ADAM, 0, 0, 0,
            0, 0));

    /** Every key, in resolution order. */
    public static final List<ConfigKey> ALL = List.of(
            key("limit", new Int(0, 1_000_000_000), Applies.ALL, "0",
                    "at most this many samples per split (0: all)", r -> "0"),
            key("source.samples", new Int(10, Math.max(sourceSamplesMax(VIT), sourceSamplesMax(MINILM))),
                    Applies.ALL, "800", "labelled source samples (source set; as many again for the probe set): at "
                    + "most " + sourceSamplesMax(VIT) + " for " + VIT + ", " + sourceSamplesMax(MINILM) + " for "
                    + MINILM, r -> "800"),
            key("source.epochs", new Int(1, 1000), Applies.encoder(VIT), str(VIT_PRETRAIN.epochs()),
                    "epochs of the ViT's source pretraining on Fashion-MNIST", r -> str(VIT_PRETRAIN.epochs())),
            key("source.limit", new Int(0, 60_000), Applies.encoder(VIT), "0",
                    "at most this many Fashion-MNIST images for the ViT's pretraining (0: all)", r -> "0"),
            key("epochs", new Int(1, 10_000), Applies.ALL, "task's", "fine-tuning epochs",
                    r -> str(train(r).epochs())),
            key("batch", new Int(1, 65_536), Applies.ALL, "task's", "fine-tuning mini-batch size",
                    r -> str(train(r).batchSize())),
            key("accumulation", new Int(1, 1024), Applies.ALL, "task's",
                    "mini-batches whose gradients are summed before one optimiser step",
                    r -> str(train(r).accumulation())),
            key("optimizer", OPTIMIZERS, Applies.ALL, "task's", "fine-tuning optimiser",
                    r -> word(train(r).optimizer())),
            key("lr", new Real(0, 10, true), Applies.ALL, "task's", "fine-tuning peak learning rate",
                    r -> str(train(r).learningRate())),
            key("momentum", new Real(0, 0.999, false), Applies.ALL, "task's", "SGD momentum (sgd only)",
                    r -> str(train(r).momentum())),
            key("weight.decay", new Real(0, 10, false), Applies.ALL, "task's",
                    "L2 (sgd, adam) or decoupled (adamw) weight decay", r -> str(train(r).weightDecay())),
            key("warmup.epochs", new Int(0, 10_000), Applies.ALL, "task's, below epochs",
                    "epochs of linear warm-up before the linear decay to zero",
                    r -> str(Math.min(train(r).warmupEpochs(), Integer.parseInt(r.value("epochs")) - 1))),
            key("clip.norm", new Real(0, 1e6, false), Applies.ALL, "task's",
                    "global gradient-norm clip (0: none)", r -> str(train(r).clipNorm())),
            key("freeze", new Choice(List.of("none", "encoder", "embedder", "predictor", "encoder+embedder")),
                    Applies.ALL, "none", "parts of the model kept fixed during fine-tuning (ORCA and MoNA fine-tune "
                    + "all of it)", r -> "none"),
            key(STAGE1_BUDGET, new Budget(1_000_000), Applies.methods("emb", "orca", "mona"), Budget.PER_METHOD,
                    "stage-1 length rule: per-method (align.epochs, align.steps) or updates:N, the same N embedder "
                    + "updates for every method (MoNA N meta-steps, ORCA N embedder epochs, Emb the whole number of "
                    + "epochs nearest to N updates, at least one); the manifest records the updates made",
                    r -> Budget.PER_METHOD),
            key("align.epochs", new Int(0, 10_000), Applies.methods("emb", "orca"),
                    "emb " + Method.EmbedderWarmup.DEFAULT_EPOCHS + ", orca " + ORCA.embedderEpochs(),
                    "stage-1 epochs: Emb's warm-up, ORCA's embedder epochs (under stage1.budget=per-method)",
                    r -> str("emb".equals(r.context().method()) ? Method.EmbedderWarmup.DEFAULT_EPOCHS
                            : ORCA.embedderEpochs())),
            key("align.checkpoint-every", new Int(0, 1_000_000), Applies.methods("emb", "orca", "mona"),
                    str(Stage1Options.DEFAULT_CHECKPOINT_EVERY), "stage-1 optimiser steps between two checkpoints "
                    + "(MoNA meta-steps, ORCA embedder epochs, Emb steps besides its epoch ends); 0: only at the end",
                    r -> str(Stage1Options.DEFAULT_CHECKPOINT_EVERY)),
            key("emb.predictor", new Flag(), Applies.methods("emb"), "true",
                    "Emb's warm-up trains the predictor with the embedder", r -> "true"),
            key("orca.optimizer", OPTIMIZERS, Applies.methods("orca"), word(ORCA.optimizer()),
                    "optimiser of ORCA's embedder", r -> word(ORCA.optimizer())),
            key("orca.lr", new Real(0, 10, true), Applies.methods("orca"), "= lr",
                    "learning rate of ORCA's embedder", r -> r.value("lr")),
            key("orca.source-samples", new Int(1, 1_000_000), Applies.methods("orca"), str(ORCA.sourceSamples()),
                    "at most this many labelled source samples in the OTDD", r -> str(ORCA.sourceSamples())),
            key("orca.reg", new Real(0, 1000, true), Applies.methods("orca"), str(ORCA.reg()),
                    "entropic regularisation of every Sinkhorn problem", r -> str(ORCA.reg())),
            key("orca.pseudo-classes", new Int(1, 1000), Applies.methods("orca"), str(ORCA.pseudoClasses()),
                    "k-means pseudo-classes of regression and dense targets", r -> str(ORCA.pseudoClasses())),
            key("orca.per-class", new Int(1, 1_000_000), Applies.methods("orca"), str(ORCA.maxTargetPerClass()),
                    "at most this many target samples per class in the OTDD", r -> str(ORCA.maxTargetPerClass())),
            key("orca.chunk", new Int(1, 4096), Applies.methods("orca"), str(ORCA.chunk()),
                    "samples per embedder pass when recomputing target embeddings", r -> str(ORCA.chunk())),
            key("align.steps", new Int(0, 1_000_000), Applies.methods("mona"), str(MonaConfig.DEFAULT_STEPS),
                    "MoNA meta-steps (under stage1.budget=per-method)", r -> str(MonaConfig.DEFAULT_STEPS)),
            key("mona.alpha", new Real(0, 10, false), Applies.methods("mona"), "= lr",
                    "step size alpha of MoNA's inner SGD step", r -> r.value("lr")),
            key("mona.beta", new Real(0, 10, false), Applies.methods("mona"), "= lr",
                    "learning rate beta of MoNA's outer step on the embedder", r -> r.value("lr")),
            key("mona.optimizer", OPTIMIZERS, Applies.methods("mona"), "adam", "optimiser of MoNA's outer step",
                    r -> "adam"),
            key("mona.lambda", new Real(0, 100, false), Applies.methods("mona"), str(MonaConfig.DEFAULT_LAMBDA),
                    "weight lambda of L_out in L_in + lambda L_out", r -> str(MonaConfig.DEFAULT_LAMBDA)),
            key("mona.temperature", new Real(0, 100, true), Applies.methods("mona"),
                    str(MonaConfig.DEFAULT_TEMPERATURE), "temperature t of the uniformity loss",
                    r -> str(MonaConfig.DEFAULT_TEMPERATURE)),
            key("mona.classes", new Int(1, 1000), Applies.methods("mona"), str(MonaConfig.DEFAULT_SOURCE_CLASSES),
                    "classes per source batch (at most those of the source set)",
                    r -> str(MonaConfig.DEFAULT_SOURCE_CLASSES)),
            key("mona.per-class", new Int(2, 1000), Applies.methods("mona"),
                    str(MonaConfig.DEFAULT_SAMPLES_PER_CLASS),
                    "samples per class in a source batch (at most those the source set holds)",
                    r -> str(MonaConfig.DEFAULT_SAMPLES_PER_CLASS)),
            key("mona.target-batch", new Int(1, 65_536), Applies.methods("mona"), "= batch",
                    "target samples per meta-step", r -> r.value("batch")),
            key("mona.pairs", Choice.of(UniformityPairs.class), Applies.methods("mona"), "all",
                    "uniformity over all pairs or different-class pairs only", r -> "all"),
            key("mona.hvp", Choice.of(HvpMode.class), Applies.methods("mona"), "exact",
                    "Hessian-vector product: exact double backward or central differences (fd)", r -> "exact"),
            key("mona.predictor-inner", new Flag(), Applies.methods("mona"), "true",
                    "the predictor takes the inner step with the encoder", r -> "true"),
            key("probe.epochs", new Int(1, 100_000), Applies.ALL, str(PROBE.maxIterations()),
                    "L-BFGS iterations (full passes) of the linear probe", r -> str(PROBE.maxIterations())),
            key("probe.l2", new Real(0, 1000, false), Applies.ALL, str(PROBE.l2()),
                    "L2 penalty on the linear probe's weights", r -> str(PROBE.l2())),
            key("probe.at-epochs", new IntList(0, 10_000), Applies.ALL, "0, epochs/4, epochs/2, 3 epochs/4, epochs",
                    "fine-tuning epochs at which the linear probe measures the encoder (0: where fine-tuning "
                    + "starts; at most epochs); their weights stay under the run's analysis/",
                    r -> probeEpochs(Integer.parseInt(r.value("epochs")))),
            key("tsne.points", new Int(4, 100_000), Applies.ALL, "300, at most source.samples",
                    "held-out source samples in each t-SNE map (exact t-SNE: O(n^2) per iteration)",
                    r -> str(Math.min(300, Integer.parseInt(r.value("source.samples"))))),
            key("tsne.perplexity", new Real(0, 10_000, true), Applies.ALL, str(TSNE.perplexity()),
                    "t-SNE perplexity (capped at (points - 1) / 3)", r -> str(TSNE.perplexity())),
            key("tsne.iterations", new Int(1, 100_000), Applies.ALL, str(TSNE.iterations()),
                    "t-SNE gradient steps", r -> str(TSNE.iterations())));

    private static final Map<String, ConfigKey> BY_NAME = index();
    /** The per-method stage-1 length keys an {@code updates:N} budget replaces. */
    private static final List<String> STAGE1_LENGTHS = List.of("align.epochs", "align.steps");

    /** The key named {@code name}, or a typed error listing the known keys. */
    public static ConfigKey get(String name) {
        ConfigKey k = BY_NAME.get(name);
        if (k == null) {
            throw new ConfigException("unknown configuration key '" + name + "'; known keys: "
                    + String.join(", ", BY_NAME.keySet()) + " (see 'mona tasks --keys')");
        }
        return k;
    }

    /**
     * The user's overrides in canonical form (each value type- and range-checked), sorted by key: what a request
     * carries, so that equal configurations spelled differently get the same run id.
     */
    public static TreeMap<String, String> canonical(Map<String, String> overrides) {
        TreeMap<String, String> out = new TreeMap<>();
        if (overrides != null) {
            overrides.forEach((k, v) -> {
                String name = k == null ? "" : k.trim();
                ConfigKey key = get(name);
                if (v == null) {
                    throw new ConfigException("configuration " + name + " has no value");
                }
                out.put(name, key.type().canonical(name, v));
            });
        }
        return out;
    }

    /**
     * The run's configuration: defaults for {@code ctx}, overlaid with {@code overrides}. A key that does not apply
     * to the context is bad input naming the key and why.
     */
    public static RunConfig resolve(RunContext ctx, Map<String, String> overrides) {
        return resolve(ctx, overrides, false);
    }

    /**
     * As {@link #resolve}, but a key that does not apply to {@code ctx} is left out instead of rejected: the stages
     * of a sweep's run see the sweep's overrides, checked at submission to apply to some run of the sweep (and a
     * single run's, checked to apply to it by {@link #resolve}).
     */
    public static RunConfig forRun(RunContext ctx, Map<String, String> overrides) {
        return resolve(ctx, overrides, true);
    }

    /** Why {@code key} does not apply to {@code ctx}, or null when it does. */
    public static String whyNot(String key, RunContext ctx) {
        return get(key).applies().whyNot(ctx);
    }

    private static RunConfig resolve(RunContext ctx, Map<String, String> overrides, boolean dropInapplicable) {
        TreeMap<String, String> given = canonical(overrides);
        given.forEach((k, v) -> {
            String why = BY_NAME.get(k).applies().whyNot(ctx);
            if (why != null && !dropInapplicable) {
                throw new ConfigException("configuration key '" + k + "' does not apply to this run of task "
                        + ctx.task().name() + ": " + why);
            }
        });
        Map<String, String> values = new LinkedHashMap<>();
        ConfigKey.Resolver r = new ConfigKey.Resolver() {
            public RunContext context() {
                return ctx;
            }

            public String value(String key) {
                String v = values.get(key);
                if (v == null) {
                    throw new IllegalStateException("configuration key " + key + " is read before it is resolved");
                }
                return v;
            }
        };
        for (ConfigKey key : ALL) {
            if (!key.applies().known(ctx) || key.applies().whyNot(ctx) != null) {
                continue;
            }
            String budget = values.get(STAGE1_BUDGET);
            if (STAGE1_LENGTHS.contains(key.name()) && budget != null && !budget.equals(Budget.PER_METHOD)) {
                // the budget sets the length: the method's own length key would do nothing
                if (given.containsKey(key.name())) {
                    throw new ConfigException("configuration " + key.name() + "=" + given.get(key.name())
                            + " does nothing under " + STAGE1_BUDGET + "=" + budget + ", which sets every stage-1 "
                            + "length; drop one of them (" + STAGE1_BUDGET + "=" + Budget.PER_METHOD + " keeps "
                            + key.name() + ")");
                }
                continue;
            }
            String v = given.containsKey(key.name()) ? given.get(key.name())
                    : key.type().canonical(key.name(), key.defaults().apply(r));
            values.put(key.name(), v);
        }
        if (ctx.encoder() != null) {
            int samples = Integer.parseInt(values.get("source.samples"));
            int max = sourceSamplesMax(ctx.encoder());
            if (samples > max) {
                throw new ConfigException("configuration source.samples=" + samples + " is more than the "
                        + ctx.encoder() + " source can give: at most " + max + " (" + sourceSamplesWhy(ctx.encoder())
                        + ")");
            }
        }
        int epochs = Integer.parseInt(values.get("epochs"));
        if (Integer.parseInt(values.get("warmup.epochs")) >= epochs) {
            throw new ConfigException("configuration warmup.epochs=" + values.get("warmup.epochs")
                    + " must be below epochs=" + epochs);
        }
        for (int e : IntList.values(values.get("probe.at-epochs"))) {
            if (e > epochs) {
                throw new ConfigException("configuration probe.at-epochs=" + values.get("probe.at-epochs")
                        + " lists epoch " + e + ", beyond epochs=" + epochs + "; list epochs in 0.." + epochs);
            }
        }
        int samples = Integer.parseInt(values.get("source.samples"));
        if (Integer.parseInt(values.get("tsne.points")) > samples) {
            throw new ConfigException("configuration tsne.points=" + values.get("tsne.points") + " is more than the "
                    + samples + " held-out source samples (source.samples); lower tsne.points or raise "
                    + "source.samples");
        }
        return new RunConfig(new TreeMap<>(values));
    }

    /** The default probe epochs of a fine-tune of {@code epochs}: 0, the quarters and the last, each once. */
    static String probeEpochs(int epochs) {
        java.util.TreeSet<Integer> at = new java.util.TreeSet<>();
        for (int q = 0; q <= 4; q++) {
            at.add(epochs * q / 4);
        }
        return String.join(",", at.stream().map(String::valueOf).toList());
    }

    /**
     * The most {@code source.samples} the source stage of {@code encoder} can serve: the ViT's probe set takes that
     * many of Fashion-MNIST's test images, MiniLM's source and probe sets take twice that many SpamAssassin e-mails
     * (both are fixed releases, installed by {@code infra/setup.sh}).
     */
    public static int sourceSamplesMax(String encoder) {
        return switch (encoder) {
            case VIT -> FashionMnist.TEST_IMAGES;
            case MINILM -> SpamAssassin.EMAILS / 2;
            default -> throw new ConfigException("unknown source encoder '" + encoder + "'; available: " + VIT
                    + ", " + MINILM);
        };
    }

    private static String sourceSamplesWhy(String encoder) {
        return VIT.equals(encoder) ? "its probe set takes source.samples of Fashion-MNIST's "
                + FashionMnist.TEST_IMAGES + " test images"
                : "its source and probe sets take 2 x source.samples of SpamAssassin's " + SpamAssassin.EMAILS
                + " e-mails";
    }

    private static ConfigKey key(String name, ConfigKey.Type type, Applies applies, String defaultDoc,
                                 String meaning, Function<ConfigKey.Resolver, String> defaults) {
        return new ConfigKey(name, type, meaning, applies, defaults, defaultDoc);
    }

    private static TrainConfig train(ConfigKey.Resolver r) {
        return r.context().task().train();
    }

    private static String str(Number n) {
        return n instanceof Double d ? Real.plain(d) : n.toString();
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Map<String, ConfigKey> index() {
        Map<String, ConfigKey> out = new TreeMap<>();
        for (ConfigKey k : ALL) {
            if (out.put(k.name(), k) != null) {
                throw new IllegalStateException("configuration key " + k.name() + " defined twice");
            }
        }
        return out;
    }
}
