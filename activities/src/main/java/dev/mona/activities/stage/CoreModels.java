package dev.mona.activities.stage;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.activities.Settings;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.method.Method;
import dev.mona.core.method.MonaConfig;
import dev.mona.core.method.OrcaConfig;
import dev.mona.workflows.TransferMethod;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.train.TrainConfig;
import dev.mona.workflows.InvalidRequestException;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/** The target model of a catalogue task in front of a source encoder, built with core's {@link Architectures}. */
public final class CoreModels {
    private CoreModels() {}

    public static EncoderConfig encoderConfig(String source) {
        return switch (source) {
            case SourceStage.VIT -> Pretrain.Config.fashionMnist().vit();
            case SourceStage.MINILM -> BertConfig.allMiniLmL6V2();
            default -> throw new InvalidRequestException("source encoder '" + source + "' cannot serve a catalogue "
                    + "task; use " + SourceStage.VIT + " or " + SourceStage.MINILM);
        };
    }

    public static TransferModel model(TaskSpec spec, String source) {
        EncoderConfig enc = encoderConfig(source);
        return spec.kind() == TaskKind.DENSE
                ? Architectures.dense(enc, spec.inputShape(), (int) spec.outputShape()[0])
                : Architectures.classifier(enc, spec.inputShape(), spec.classes());
    }

    /** The pretrained encoder's parameters (its own names) read strictly from {@code weights}. */
    public static Params encoderParams(TransferModel model, Path weights, NDManager manager) {
        Params fresh = model.encoder().initialise(manager, DataType.FLOAT32, new SplittableRandom(0));
        return ParamsIO.load(weights, fresh, manager, true).params();
    }

    /** All parameters of {@code model} read strictly from a file written by a previous stage. */
    public static Params allParams(TransferModel model, Path file, NDManager manager) {
        Params fresh = model.initialise(manager, DataType.FLOAT32, new SplittableRandom(0));
        return ParamsIO.load(file, fresh, manager, true).params();
    }

    /** Starting parameters: pretrained encoder (fresh for scratch), fresh embedder and predictor. */
    public static Params initial(TransferModel model, Params encoder, boolean scratch, NDManager manager, long seed) {
        return Architectures.initialise(model, scratch ? null : encoder, false, manager, DataType.FLOAT32,
                new SplittableRandom(seed));
    }

    /** The task's stage-2 settings with the request's epochs, batch and learning rate when set. */
    public static TrainConfig stage2(TaskSpec spec, Settings s) {
        TrainConfig t = spec.train().withEpochs(s.overridden("epochs") ? s.integer("epochs") : spec.train().epochs());
        return new TrainConfig(t.epochs(), s.overridden("batch") ? s.integer("batch") : t.batchSize(),
                t.accumulation(), t.optimizer(), s.overridden("lr") ? s.number("lr") : t.learningRate(),
                t.weightDecay(), t.momentum(), t.warmupEpochs(), t.clipNorm());
    }

    /**
     * Stage 1 of {@code method} with core's defaults, shortened by the request: {@code align.epochs} (Emb warm-up
     * and ORCA embedder epochs) and {@code align.steps} (MoNA meta-steps) when set.
     */
    public static Method method(TransferMethod method, TrainConfig stage2, Settings s, long seed,
                                dev.mona.core.data.DataSplit source) {
        int sourceSize = source.size();
        return switch (method) {
            case SCRATCH -> new Method.Scratch(seed);
            case FT -> new Method.FineTune();
            case EMB -> new Method.EmbedderWarmup(s.overridden("align.epochs") ? s.integer("align.epochs")
                    : Method.EmbedderWarmup.DEFAULT_EPOCHS, true);
            case ORCA -> {
                OrcaConfig d = OrcaConfig.defaults(stage2);
                yield new Method.Orca(new OrcaConfig(s.overridden("align.epochs") ? s.integer("align.epochs")
                        : d.embedderEpochs(), Math.min(d.sourceSamples(), sourceSize), d.reg(), d.pseudoClasses(),
                        d.maxTargetPerClass(), d.chunk(), d.optimizer(), d.learningRate(), seed));
            }
            case MONA -> {
                MonaConfig d = MonaConfig.defaults(stage2);
                // a small source set may hold fewer classes, or fewer samples a class, than the default batch asks
                Map<Integer, Integer> perClass = new java.util.TreeMap<>();
                for (float v : source.y().data()) {
                    perClass.merge(Math.round(v), 1, Integer::sum);
                }
                int classes = Math.max(1, Math.min(d.sourceClasses(), perClass.size()));
                int fewest = perClass.values().stream().sorted(java.util.Comparator.reverseOrder()).limit(classes)
                        .min(Integer::compare).orElse(2);
                yield new Method.Mona(new MonaConfig(d.innerLearningRate(), d.lambda(), d.temperature(),
                        s.count("align.steps") > 0 ? s.count("align.steps") : d.steps(), d.predictorInInnerStep(),
                        d.uniformityPairs(), classes, Math.max(2, Math.min(d.samplesPerClass(), fewest)),
                        d.targetBatchSize(),
                        d.outerOptimizer(), d.outerLearningRate(), d.hvp(), seed));
            }
        };
    }
}
