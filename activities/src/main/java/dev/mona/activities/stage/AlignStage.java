package dev.mona.activities.stage;

import dev.mona.activities.Settings;
import dev.mona.activities.interim.InterimMlp;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.TransferMethod;

import java.util.Map;
import java.util.Set;

/** Align stage (stage 1): trains the target embedder with the method's objective, encoder frozen. */
public final class AlignStage {
    private AlignStage() {}

    /** What computes stage 1 for {@code method}; a typed error for a method this build cannot run yet. */
    public static String implementation(TransferMethod method) {
        return switch (method) {
            case EMB -> "interim:emb-warmup-v1";
            case ORCA, MONA -> throw new InvalidRequestException("method " + method.label() + " needs the stage-1 "
                    + "aligner of dev.mona.core.method, which this build does not have yet; use scratch, ft or emb");
            default -> "none";
        };
    }

    public static String[] configKeys() {
        return new String[]{"align.epochs", "align.lr", "batch"};
    }

    /**
     * Embedder warm-up (Emb): embedder and predictor trained with the task loss, encoder frozen. Returns the
     * trained {@code embedder.*} and {@code predictor.*}.
     */
    public static Map<String, HostTensor> align(TransferMethod method, TaskData data, int classes,
                                                Map<String, HostTensor> source, Settings s, long seed,
                                                EpochListener listener) {
        implementation(method);
        Map<String, HostTensor> p = ModelStates.initial(method, data.train().x().rowSize(), classes, source, null,
                seed);
        int epochs = s.integer("align.epochs");
        long step = 0;
        long perEpoch = (data.train().size() + s.integer("batch") - 1) / s.integer("batch");
        for (int e = 1; e <= epochs; e++) {
            final int epoch = e;
            InterimMlp.trainEpoch(p, "embedder", "predictor", data.train(), Set.of("embedder", "predictor"),
                    s.number("align.lr"), s.integer("batch"), seed * 1000 + e, step,
                    (st, loss) -> listener.step(epoch, epochs, st, perEpoch * epochs, loss));
            step += perEpoch;
        }
        return ModelStates.only(p, "embedder.", "predictor.");
    }

    /** Progress callback of the epoch loops. */
    @FunctionalInterface
    public interface EpochListener {
        void step(int epoch, int epochs, long step, long steps, double loss);
    }
}
