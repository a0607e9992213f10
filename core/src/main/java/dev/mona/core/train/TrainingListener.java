package dev.mona.core.train;

import java.nio.file.Path;

/**
 * Hooks of the training loop: logging, summary files, Temporal heartbeats. Throwing from a hook stops the run
 * (a checkpoint already written stays valid), which is how cancellation reaches the loop.
 */
public interface TrainingListener {
    /** After every optimiser step. */
    default void onStep(Progress progress) {}

    /** After every epoch's validation. */
    default void onEpochEnd(EpochSummary summary) {}

    /** After a checkpoint was written to {@code directory}. */
    default void onCheckpoint(Path directory, TrainingState state) {}

    /**
     * Where the run is, for progress bars and heartbeats.
     *
     * @param epoch           0-based epoch
     * @param batchInEpoch    mini-batches of this epoch done
     * @param batchesPerEpoch mini-batches per epoch
     * @param step            optimiser steps done in the whole run
     * @param totalSteps      optimiser steps of the whole run
     * @param loss            mean loss of the last optimiser step's mini-batches
     * @param lr              learning rate that step used
     */
    record Progress(int epoch, int batchInEpoch, int batchesPerEpoch, long step, long totalSteps, double loss,
                    double lr) {}
}
