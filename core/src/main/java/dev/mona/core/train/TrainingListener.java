package dev.mona.core.train;

import java.nio.file.Path;

/**
 * Hooks of the training loop ({@link Trainer}, and the stage-1 loops of the methods): logging, summary files,
 * Temporal heartbeats, checkpoint mirrors. Throwing from a hook stops the run (a checkpoint already written stays
 * valid), which is how cancellation reaches the loop.
 */
public interface TrainingListener {
    /** After every optimiser step. */
    default void onStep(Progress progress) {}

    /** After every epoch's validation. */
    default void onEpochEnd(EpochSummary summary) {}

    /**
     * After the {@link Trainer} wrote a checkpoint to {@code directory}; by default reported as
     * {@link #onCheckpoint(Path, long)}.
     */
    default void onCheckpoint(Path directory, TrainingState state) {
        onCheckpoint(directory, state.step());
    }

    /**
     * After any checkpoint, the {@link Trainer}'s or a stage-1 method's, was written to {@code directory} at
     * optimiser step {@code step} (a listener that mirrors checkpoints needs no more than this).
     */
    default void onCheckpoint(Path directory, long step) {}

    /**
     * Where the run is, for progress bars and heartbeats. A stage-1 loop without epochs (MoNA's meta-steps)
     * reports them as batches of one epoch; ORCA's embedder epochs are one optimiser step each.
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
