package dev.mona.core.train;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * What a checkpoint keeps of an optimiser: named moment arrays ({@code exp_avg/NAME}, {@code exp_avg_sq/NAME},
 * {@code momentum_buffer/NAME}) and the number of updates taken. Written by {@link CheckpointStore} for the
 * {@link Trainer}'s {@link Optimizer} and for the stage-1 optimiser of the methods alike.
 */
public interface OptimizerState {
    /** Named moment arrays (live, owned by the optimiser). */
    Map<String, NDArray> state();

    /** Updates taken so far. */
    long steps();

    /** Replaces the state by {@code state} (copied in) and sets the step count, e.g. when resuming. */
    void restore(Map<String, NDArray> state, long steps);
}
