package dev.mona.activities.stage;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.config.RunConfig;
import dev.mona.core.data.DataSplit;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.method.Method;
import dev.mona.workflows.TransferMethod;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import dev.mona.workflows.InvalidRequestException;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

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

    /** Stage 1 of {@code method} as {@code config} sets it, its source batch sized to the labelled source set. */
    public static Method method(TransferMethod method, RunConfig config, long seed, DataSplit source) {
        return switch (method) {
            case SCRATCH -> new Method.Scratch(seed);
            case FT -> new Method.FineTune();
            case EMB -> config.embedderWarmup();
            case ORCA -> new Method.Orca(config.orca(seed, source.size()));
            case MONA -> {
                // a small source set may hold fewer classes, or fewer samples a class, than the batch asks for
                Map<Integer, Integer> perClass = new TreeMap<>();
                for (float v : source.y().data()) {
                    perClass.merge(Math.round(v), 1, Integer::sum);
                }
                int classes = Math.min(config.integer("mona.classes"), perClass.size());
                int fewest = perClass.values().stream().sorted(Comparator.reverseOrder()).limit(Math.max(1, classes))
                        .min(Integer::compare).orElse(2);
                yield new Method.Mona(config.mona(seed, classes, fewest));
            }
        };
    }
}
