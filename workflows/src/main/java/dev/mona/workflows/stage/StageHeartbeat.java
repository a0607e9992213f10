package dev.mona.workflows.stage;

import java.util.Map;

/**
 * Heartbeat details of a long stage: the progress shown by {@code mona watch} and the resume point of a retry.
 *
 * @param stage         stage name ({@code align}, {@code finetune}, {@code probe})
 * @param epoch         epoch in progress (1-based), 0 before the first
 * @param epochs        total epochs
 * @param step          optimiser steps done in this stage
 * @param steps         total steps, 0 when unknown
 * @param loss          last training loss
 * @param checkpointKey key of the last complete checkpoint, or {@code null}
 * @param attempt       activity attempt that sent it
 * @param losses        the last stage-1 step's losses and diagnostics by {@code summary.csv} column name
 *                      ({@code l_in}, {@code grad_ratio}, ...), only those the method computes; empty otherwise
 */
public record StageHeartbeat(String stage, int epoch, int epochs, long step, long steps, double loss,
                             String checkpointKey, int attempt, Map<String, Double> losses) {
    public StageHeartbeat {
        losses = losses == null ? Map.of() : Map.copyOf(losses);
    }

    /** A heartbeat without stage-1 losses. */
    public StageHeartbeat(String stage, int epoch, int epochs, long step, long steps, double loss,
                          String checkpointKey, int attempt) {
        this(stage, epoch, epochs, step, steps, loss, checkpointKey, attempt, Map.of());
    }
}
