package dev.mona.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run settings of the {@link Trainer} beyond the task's {@link TrainConfig}.
 *
 * @param seed                 seeds the per-epoch shuffles ({@link Shuffle})
 * @param freeze               patterns of parameter names kept fixed ({@link ParameterFilter})
 * @param checkpointDir        where checkpoints go; null for none
 * @param checkpointEverySteps also checkpoint every this many optimiser steps (0: only at epoch ends)
 * @param resume               continue from the latest checkpoint in {@code checkpointDir} when one exists
 * @param evalBatchSize        mini-batch size for validation (0: the training batch size)
 * @param restoreBest          after training, put the parameters of the best validation epoch back
 * @param listeners            hooks called by the loop
 */
public record TrainerOptions(long seed, List<String> freeze, Path checkpointDir, int checkpointEverySteps,
                             boolean resume, int evalBatchSize, boolean restoreBest,
                             List<TrainingListener> listeners) {
    public TrainerOptions {
        freeze = List.copyOf(freeze);
        listeners = List.copyOf(listeners);
        if (checkpointEverySteps < 0 || evalBatchSize < 0) {
            throw new IllegalArgumentException("checkpointEverySteps and evalBatchSize must be >= 0");
        }
    }

    /** Seeded defaults: nothing frozen, no checkpoints, best-on-validation restored at the end. */
    public static TrainerOptions seeded(long seed) {
        return new TrainerOptions(seed, List.of(), null, 0, true, 0, true, List.of());
    }

    public TrainerOptions withFreeze(String... patterns) {
        return new TrainerOptions(seed, List.of(patterns), checkpointDir, checkpointEverySteps, resume,
                evalBatchSize, restoreBest, listeners);
    }

    public TrainerOptions withCheckpoints(Path dir, int everySteps) {
        return new TrainerOptions(seed, freeze, dir, everySteps, resume, evalBatchSize, restoreBest, listeners);
    }

    public TrainerOptions withRestoreBest(boolean restore) {
        return new TrainerOptions(seed, freeze, checkpointDir, checkpointEverySteps, resume, evalBatchSize,
                restore, listeners);
    }

    public TrainerOptions withListener(TrainingListener listener) {
        List<TrainingListener> l = new ArrayList<>(listeners);
        l.add(listener);
        return new TrainerOptions(seed, freeze, checkpointDir, checkpointEverySteps, resume, evalBatchSize,
                restoreBest, l);
    }
}
