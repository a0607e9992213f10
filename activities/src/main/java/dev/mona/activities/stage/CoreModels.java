package dev.mona.activities.stage;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.config.RunConfig;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import dev.mona.workflows.stage.SourceRef;

import java.nio.file.Path;
import java.util.SplittableRandom;

/** The target model of a catalogue task in front of a source encoder, built with core's {@link Architectures}. */
public final class CoreModels {
    private CoreModels() {}

    /** The encoder configuration of a prepared source (a published source's from its recorded config.json). */
    public static EncoderConfig encoderConfig(SourceRef source) {
        return SourceStage.encoderConfig(source.name(), source.encoderConfig());
    }

    /**
     * The target model of {@code spec} in front of the prepared {@code source}, its 1-D embedder sized by
     * {@code target-seq-len}.
     */
    public static TransferModel model(TaskSpec spec, SourceRef source, RunConfig config) {
        return model(spec, encoderConfig(source), config.targetSeqLen());
    }

    /**
     * The target model of {@code spec} in front of an encoder of configuration {@code enc}; a 1-D embedder makes at
     * most {@code seqLen} tokens (ignored for 2-D inputs).
     */
    public static TransferModel model(TaskSpec spec, EncoderConfig enc, int seqLen) {
        return spec.kind() == TaskKind.DENSE
                ? Architectures.dense(enc, spec.inputShape(), (int) spec.outputShape()[0], seqLen)
                : Architectures.classifier(enc, spec.inputShape(), (int) spec.outputShape()[0], seqLen);
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

    /**
     * Starting parameters: pretrained encoder (fresh for scratch), fresh predictor, the embedder warm-started from
     * the encoder as ORCA does: its position table always, its projection and LayerNorm too when
     * {@code warmStart} (a stage 1 runs).
     */
    public static Params initial(TransferModel model, Params encoder, boolean scratch, boolean warmStart,
                                 NDManager manager, long seed) {
        return Architectures.initialise(model, scratch ? null : encoder, warmStart, manager, DataType.FLOAT32,
                new SplittableRandom(seed));
    }
}
