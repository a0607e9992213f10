package dev.mona.core.train;

import java.util.List;

/**
 * Outcome of {@link Trainer#fit}.
 *
 * @param bestEpoch     epoch with the lowest validation metric (-1 without validation)
 * @param bestValMetric that metric
 * @param steps         optimiser steps taken in the whole run
 * @param history       per-epoch summaries
 */
public record TrainResult(int bestEpoch, double bestValMetric, long steps, List<EpochSummary> history) {
    public TrainResult {
        history = List.copyOf(history);
    }
}
