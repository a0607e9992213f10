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
import dev.mona.core.engine.Precision;
import dev.mona.core.method.HvpMode;
import dev.mona.core.method.Method;
import dev.mona.core.method.MonaConfig;
import dev.mona.core.method.OrcaConfig;
import dev.mona.core.method.OtddDistance;
import dev.mona.core.method.Stage1Options;
import dev.mona.core.method.UniformityPairs;
import dev.mona.core.offline.FashionMnist;
import dev.mona.core.pretrained.Cifar10;
import dev.mona.core.pretrained.SourceEncoder;
import dev.mona.core.pretrained.SpamAssassin;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.task.TaskProtocol;
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
    /** Swin-B pretrained on ImageNet-22k (Hugging Face), ORCA's source for 2-D inputs. */
    public static final String SWIN_BASE = "swin-base";
    /** RoBERTa-base (Hugging Face), ORCA's source for 1-D inputs. */
    public static final String ROBERTA_BASE = "roberta-base";
    /** Source sets of {@value #SWIN_BASE}: CIFAR-10 (ORCA's) or the offline Fashion-MNIST. */
    public static final String CIFAR10_SET = "cifar-10";
    public static final String FASHION_MNIST_SET = "fashion-mnist";
    /** ORCA's number of source samples (PAPER-NOTES 3). */
    public static final int ORCA_SOURCE_SAMPLES = 5000;
    /** RoBERTa's default: as many as SpamAssassin gives (source and probe sets take twice this many e-mails). */
    public static final int ROBERTA_SOURCE_SAMPLES = 3000;
    /**
     * The Fashion-MNIST ViT's default: the linear probe is limited by its fit set, not only by the encoder. On the
     * default encoder (86.25 % test accuracy) the held-out probe error at the default probe.l2 is 16.8 % with 800
     * samples a set, 15.7 % with 3,000 and 13.9 % with 5,000 (issue 16 item 2; the README's table of sources).
     */
    public static final int VIT_SOURCE_SAMPLES = 5000;
    /** MiniLM's default labelled source samples (source and probe sets take twice this many e-mails). */
    public static final int MINILM_SOURCE_SAMPLES = 800;

    /** The key of the stage-1 budget rule ({@link Budget}). */
    public static final String STAGE1_BUDGET = "stage1.budget";

    private static final Choice OPTIMIZERS = Choice.of(OptimizerKind.class);
    private static final TrainConfig VIT_PRETRAIN = Pretrain.Config.fashionMnist().train();
    private static final LinearProbe.Config PROBE = LinearProbe.Config.defaults();
    private static final Tsne.Config TSNE = Tsne.Config.defaults(0);

    /** Every key, in resolution order. */
    public static final List<ConfigKey> ALL = List.of(
            key("limit", new Int(0, 1_000_000_000), Applies.ALL, "0",
                    "at most this many samples per split (0: all)", r -> "0"),
            key("source.set", new Choice(List.of(CIFAR10_SET, FASHION_MNIST_SET)), Applies.encoder(SWIN_BASE),
                    CIFAR10_SET, "images of " + SWIN_BASE + "'s source and probe sets: " + CIFAR10_SET + " (ORCA's, "
                    + "downloaded once with its checksum) or " + FASHION_MNIST_SET + " (offline, grey repeated to RGB)",
                    r -> CIFAR10_SET),
            key("source.samples", new Int(10, Math.max(sourceSamplesMax(VIT), sourceSamplesMax(SWIN_BASE))),
                    Applies.ALL, VIT + " " + VIT_SOURCE_SAMPLES + ", " + MINILM + " " + MINILM_SOURCE_SAMPLES + ", "
                    + SWIN_BASE + " " + ORCA_SOURCE_SAMPLES + ", " + ROBERTA_BASE + " "
                    + ROBERTA_SOURCE_SAMPLES, "labelled source samples (source set; as many again for the probe "
                    + "set): at most " + sourceSamplesMax(VIT) + " for " + VIT + ", " + sourceSamplesMax(MINILM)
                    + " for " + MINILM + " and " + ROBERTA_BASE + ", " + Cifar10.TRAIN_IMAGES / 2 + " for "
                    + SWIN_BASE + " on " + CIFAR10_SET, r -> str(defaultSourceSamples(r.context().encoder()))),
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
            key("decay-epochs", new Int(1, 10_000), Applies.ALL, "task's (ORCA's decay_epochs), else = epochs",
                    "epochs after which the linear decay reaches 0, counted in mini-batches (ORCA's decay_epochs; "
                    + "a run of fewer epochs ends above 0)", r -> train(r).decayEpochs() > 0
                            ? str(train(r).decayEpochs()) : r.value("epochs")),
            key("adam.beta1", new Real(0, 0.9999, false), Applies.ALL, "task's (ORCA: 0.9)",
                    "first-moment decay of adam and adamw (fine-tuning and ORCA's embedder)",
                    r -> str(train(r).beta1())),
            key("adam.beta2", new Real(0, 0.9999, false), Applies.ALL, "task's (ORCA: 0.98)",
                    "second-moment decay of adam and adamw (fine-tuning and ORCA's embedder)",
                    r -> str(train(r).beta2())),
            key("clip.norm", new Real(0, 1e6, false), Applies.ALL, "task's",
                    "global gradient-norm clip (0: none)", r -> str(train(r).clipNorm())),
            key("precision", Choice.of(Precision.class), Applies.ALL, "float32", "linear-layer products of "
                    + "fine-tuning and the probe: float32, or bf16 (bf16-rounded operands on bf16 hardware; float32 "
                    + "master weights, gradients, optimiser state, LayerNorm, softmax and losses; stage 1 stays "
                    + "float32)", r -> Precision.FLOAT32.key()),
            key("target-seq-len", new Int(1, 1_000_000), Applies.inputs1d(),
                    "task's (ORCA's target_seq_len: 512; ECG 64, Burgers and 1-D CFD 128, diffusion-reaction 256, "
                    + "diffusion-sorption 32)", "most tokens of the 1-D embedder: it stacks s steps a token, s the "
                    + "smallest divisor of the input length L with L / s <= this (capped by a text encoder's "
                    + "position table)", r -> str(protocol(r).targetSeqLen())),
            key("freeze", new Choice(List.of("none", "encoder", "embedder", "predictor", "encoder+embedder")),
                    Applies.ALL, "none", "parts of the model kept fixed during fine-tuning (ORCA and MoNA fine-tune "
                    + "all of it)", r -> "none"),
            key(STAGE1_BUDGET, new Budget(1_000_000), Applies.methods("emb", "orca", "mona"), Budget.PER_METHOD,
                    "stage-1 length rule: per-method (align.epochs, align.steps) or updates:N, the same N embedder "
                    + "updates for every method (MoNA N meta-steps, ORCA N embedder epochs, Emb the whole number of "
                    + "epochs nearest to N updates, at least one); the manifest records the updates made",
                    r -> Budget.PER_METHOD),
            key("align.epochs", new Int(0, 10_000), Applies.methods("emb", "orca"),
                    "emb " + Method.EmbedderWarmup.DEFAULT_EPOCHS + ", orca task's (ORCA's embedder_epochs: "
                    + TaskProtocol.ORCA_DEFAULTS.embedderEpochs() + ", NinaPro 100)",
                    "stage-1 epochs: Emb's warm-up, ORCA's embedder epochs (one optimiser step each; under "
                    + "stage1.budget=per-method)",
                    r -> str("emb".equals(r.context().method()) ? Method.EmbedderWarmup.DEFAULT_EPOCHS
                            : protocol(r).embedderEpochs())),
            key("align.checkpoint-every", new Int(0, 1_000_000), Applies.methods("emb", "orca", "mona"),
                    str(Stage1Options.DEFAULT_CHECKPOINT_EVERY), "stage-1 optimiser steps between two checkpoints "
                    + "(MoNA meta-steps, ORCA embedder epochs, Emb steps besides its epoch ends); 0: only at the end",
                    r -> str(Stage1Options.DEFAULT_CHECKPOINT_EVERY)),
            key("emb.predictor", new Flag(), Applies.methods("emb"), "true",
                    "Emb's warm-up trains the predictor with the embedder", r -> "true"),
            key("orca.optimizer", OPTIMIZERS, Applies.methods("orca"), "= optimizer",
                    "optimiser of ORCA's embedder (with the fine-tuning weight.decay, momentum and adam betas)",
                    r -> r.value("optimizer")),
            key("orca.lr", new Real(0, 10, true), Applies.methods("orca"), "= lr x 10 if lr <= 0.001, else lr",
                    "base learning rate of ORCA's embedder",
                    r -> str(OrcaConfig.embedderRate(Double.parseDouble(r.value("lr"))))),
            key("orca.lr-milestones", new IntList(0, 1_000_000), Applies.methods("orca"),
                    join(OrcaConfig.MILESTONES), "embedder epochs after which ORCA's StepLR multiplies the "
                    + "embedder's rate by orca.lr-gamma", r -> join(OrcaConfig.MILESTONES)),
            key("orca.lr-gamma", new Real(0, 1, false), Applies.methods("orca"), str(OrcaConfig.GAMMA),
                    "factor of ORCA's StepLR at each milestone", r -> str(OrcaConfig.GAMMA)),
            key("orca.source-samples", new Int(1, 1_000_000), Applies.methods("orca"),
                    str(OrcaConfig.SOURCE_SAMPLES), "at most this many labelled source samples in the OTDD",
                    r -> str(OrcaConfig.SOURCE_SAMPLES)),
            key("orca.reg", new Real(0, 1000, true), Applies.methods("orca"), str(OtddDistance.DEFAULT_REG),
                    "entropic regularisation of every Sinkhorn problem", r -> str(OtddDistance.DEFAULT_REG)),
            key("orca.pseudo-classes", new Int(1, 1000), Applies.methods("orca"), str(OrcaConfig.PSEUDO_CLASSES),
                    "k-means pseudo-classes of regression and dense targets", r -> str(OrcaConfig.PSEUDO_CLASSES)),
            key("orca.per-class", new Int(1, 1_000_000), Applies.methods("orca"),
                    "task's (ORCA's maxsamples: 128; PSICOV, DeepSEA 64)", "ORCA's maxsamples: every embedder "
                    + "epoch draws each target class afresh, in mini-batches of batch until more than this many",
                    r -> str(protocol(r).maxSamples())),
            key("orca.chunk", new Int(1, 4096), Applies.methods("orca"), str(OrcaConfig.CHUNK),
                    "samples per embedder pass when recomputing target embeddings", r -> str(OrcaConfig.CHUNK)),
            key("align.steps", new Int(0, 1_000_000), Applies.methods("mona"), str(MonaConfig.DEFAULT_STEPS),
                    "MoNA meta-steps (under stage1.budget=per-method)", r -> str(MonaConfig.DEFAULT_STEPS)),
            key("mona.alpha", new Real(0, 10, false), Applies.methods("mona"), str(MonaConfig.DEFAULT_ALPHA),
                    "step size alpha of MoNA's inner SGD step (default chosen on validation data: "
                            + "docs/offline-study.md)", r -> str(MonaConfig.DEFAULT_ALPHA)),
            key("mona.beta", new Real(0, 10, false), Applies.methods("mona"), "= lr",
                    "learning rate beta of MoNA's outer step on the embedder", r -> r.value("lr")),
            key("mona.optimizer", OPTIMIZERS, Applies.methods("mona"), "adam", "optimiser of MoNA's outer step",
                    r -> "adam"),
            key("mona.lambda", new Real(0, 100, false), Applies.methods("mona"), str(MonaConfig.DEFAULT_LAMBDA),
                    "weight lambda of L_out in L_in + lambda L_out (default chosen on validation data: "
                            + "docs/offline-study.md)", r -> str(MonaConfig.DEFAULT_LAMBDA)),
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
            key("mona.diagnostics-every", new Int(1, 1_000_000), Applies.methods("mona"),
                    str(MonaConfig.DEFAULT_DIAGNOSTICS_EVERY), "meta-steps per measurement of the source batch's "
                            + "alignment and uniformity before the inner step (an extra source forward)",
                    r -> str(MonaConfig.DEFAULT_DIAGNOSTICS_EVERY)),
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
            String set = values.getOrDefault("source.set", CIFAR10_SET);
            int max = sourceSamplesMax(ctx.encoder(), set);
            if (samples > max) {
                throw new ConfigException("configuration source.samples=" + samples + " is more than the "
                        + ctx.encoder() + " source can give: at most " + max + " (" + sourceSamplesWhy(ctx.encoder(),
                        set) + ")");
            }
        }
        int epochs = Integer.parseInt(values.get("epochs"));
        if (Integer.parseInt(values.get("warmup.epochs")) >= epochs) {
            throw new ConfigException("configuration warmup.epochs=" + values.get("warmup.epochs")
                    + " must be below epochs=" + epochs);
        }
        if (Integer.parseInt(values.get("warmup.epochs")) >= Integer.parseInt(values.get("decay-epochs"))) {
            throw new ConfigException("configuration warmup.epochs=" + values.get("warmup.epochs")
                    + " must be below decay-epochs=" + values.get("decay-epochs"));
        }
        for (int e : IntList.values(values.get("probe.at-epochs"))) {
            if (e > epochs) {
                throw new ConfigException("configuration probe.at-epochs=" + values.get("probe.at-epochs")
                        + " lists epoch " + e + ", beyond epochs=" + epochs + "; list epochs in 0.." + epochs);
            }
        }
        int heldOut = Integer.parseInt(values.get("source.samples"));
        if (Integer.parseInt(values.get("tsne.points")) > heldOut) {
            throw new ConfigException("configuration tsne.points=" + values.get("tsne.points") + " is more than the "
                    + heldOut + " held-out source samples (source.samples); lower tsne.points or raise "
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
        return sourceSamplesMax(encoder, CIFAR10_SET);
    }

    /**
     * As {@link #sourceSamplesMax(String)} for {@code encoder} with source set {@code set} (which only
     * {@value #SWIN_BASE} chooses): CIFAR-10's source and probe sets take twice that many of its 50,000 training
     * images.
     */
    public static int sourceSamplesMax(String encoder, String set) {
        return switch (encoder) {
            case VIT -> FashionMnist.TEST_IMAGES;
            case MINILM, ROBERTA_BASE -> SpamAssassin.EMAILS / 2;
            case SWIN_BASE -> FASHION_MNIST_SET.equals(set) ? FashionMnist.TEST_IMAGES : Cifar10.TRAIN_IMAGES / 2;
            default -> throw new ConfigException("unknown source encoder '" + encoder + "'; available: "
                    + String.join(", ", SourceEncoder.ids()));
        };
    }

    private static int defaultSourceSamples(String encoder) {
        if (SWIN_BASE.equals(encoder)) {
            return ORCA_SOURCE_SAMPLES;
        }
        if (VIT.equals(encoder)) {
            return VIT_SOURCE_SAMPLES;
        }
        return ROBERTA_BASE.equals(encoder) ? ROBERTA_SOURCE_SAMPLES : MINILM_SOURCE_SAMPLES;
    }

    private static String sourceSamplesWhy(String encoder, String set) {
        if (VIT.equals(encoder) || FASHION_MNIST_SET.equals(set)) {
            return "its probe set takes source.samples of Fashion-MNIST's " + FashionMnist.TEST_IMAGES
                    + " test images";
        }
        if (SWIN_BASE.equals(encoder)) {
            return "its source and probe sets take 2 x source.samples of CIFAR-10's " + Cifar10.TRAIN_IMAGES
                    + " training images";
        }
        return "its source and probe sets take 2 x source.samples of SpamAssassin's " + SpamAssassin.EMAILS
                + " e-mails";
    }

    private static ConfigKey key(String name, ConfigKey.Type type, Applies applies, String defaultDoc,
                                 String meaning, Function<ConfigKey.Resolver, String> defaults) {
        return new ConfigKey(name, type, meaning, applies, defaults, defaultDoc);
    }

    private static TrainConfig train(ConfigKey.Resolver r) {
        return r.context().task().train();
    }

    private static TaskProtocol protocol(ConfigKey.Resolver r) {
        return r.context().task().protocol();
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
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
