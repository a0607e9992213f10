package dev.mona.activities.stage;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import dev.mona.workflows.InvalidRequestException;

import java.nio.file.Path;
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
        return model(spec, encoderConfig(source));
    }

    /** The target model of {@code spec} in front of an encoder of configuration {@code enc}. */
    public static TransferModel model(TaskSpec spec, EncoderConfig enc) {
        return spec.kind() == TaskKind.DENSE
                ? Architectures.dense(enc, spec.inputShape(), (int) spec.outputShape()[0])
                : Architectures.classifier(enc, spec.inputShape(), (int) spec.outputShape()[0]);
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
}
