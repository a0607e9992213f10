package dev.mona.core.train;

import java.util.List;

/**
 * Everything besides the arrays that a checkpoint needs to continue a run exactly: position, RNG state, model
 * selection state and configuration. Written as {@code state.json} next to the parameter and optimiser files.
 *
 * @param epoch          epoch to continue in (0-based)
 * @param batchInEpoch   mini-batches of that epoch already consumed (always at an optimiser-step boundary)
 * @param step           optimiser steps taken
 * @param seed           run seed; the shuffle of epoch e is a pure function of (seed, e), see {@link Shuffle}
 * @param epochLossSum   sum of the mini-batch losses of the current epoch so far
 * @param epochBatches   mini-batches in that sum
 * @param bestEpoch      epoch of the best validation metric so far, -1 before the first validation
 * @param bestMetric     that metric (lower is better), +Infinity before the first
 * @param history        summaries of finished epochs
 * @param config         the run's configuration (checked on resume)
 */
public record TrainingState(int epoch, int batchInEpoch, long step, long seed, double epochLossSum,
                            long epochBatches, int bestEpoch, double bestMetric, List<EpochSummary> history,
                            TrainConfig config) {
    public TrainingState {
        history = List.copyOf(history);
    }

    /** The state at the start of a fresh run. */
    public static TrainingState start(long seed, TrainConfig config) {
        return new TrainingState(0, 0, 0, seed, 0, 0, -1, Double.POSITIVE_INFINITY, List.of(), config);
    }
}
