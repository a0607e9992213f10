package dev.mona.activities.stage;

import dev.mona.activities.Settings;
import dev.mona.activities.interim.InterimMlp;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.workflows.TransferMethod;

import java.util.Map;
import java.util.Set;

/** Fine-tune stage (stage 2): every parameter trained with the task loss, one epoch at a time. */
public final class FineTuneStage {
    private FineTuneStage() {}

    public static final String IMPLEMENTATION = "interim:mlp-sgd-v1";
    /** Catalogue tasks: core's Trainer (warm-up + linear decay, the task's optimiser, best-on-validation). */
    public static final String CORE_IMPLEMENTATION = "core:trainer";

    public static String[] configKeys() {
        return new String[]{"epochs", "lr", "batch"};
    }

    /** Starting parameters: source encoder, plus the stage-1 state when there is one. */
    public static Map<String, HostTensor> initial(TransferMethod method, TaskData data, int classes,
                                                  Map<String, HostTensor> source, Map<String, HostTensor> aligned,
                                                  long seed) {
        return ModelStates.initial(method, data.train().x().rowSize(), classes, source, aligned, seed);
    }

    /** One epoch (1-based) in place; the batch order depends on seed and epoch only, so a resumed run matches. */
    public static double epoch(Map<String, HostTensor> params, TaskData data, Settings s, long seed, int epoch,
                               AlignStage.EpochListener listener) {
        int epochs = s.integer("epochs");
        long perEpoch = (data.train().size() + s.integer("batch") - 1) / s.integer("batch");
        return InterimMlp.trainEpoch(params, "embedder", "predictor", data.train(),
                Set.of("embedder", "encoder", "predictor"), s.number("lr"), s.integer("batch"),
                seed * 7919 + epoch, perEpoch * (epoch - 1),
                (st, loss) -> listener.step(epoch, epochs, st, perEpoch * epochs, loss));
    }

    /** The task metric (error rate %, lower is better) on a split. */
    public static double metric(Map<String, HostTensor> params, dev.mona.core.data.DataSplit split) {
        return InterimMlp.errorRate(params, "embedder", "predictor", split);
    }

    public static String metricName() {
        return "ERROR_RATE";
    }
}
