package dev.mona.workflows.stage;

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
 */
public record StageHeartbeat(String stage, int epoch, int epochs, long step, long steps, double loss,
                             String checkpointKey, int attempt) {
}
