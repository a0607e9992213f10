package dev.mona.workflows.stage;

/**
 * Stage-1 output.
 *
 * @param embedderKey artifact key of the aligned model state (embedder and predictor), {@code null} without stage 1
 * @param digest      digest of the stored state
 * @param aligner     what computed it (names the implementation, e.g. {@code core:mona})
 * @param steps       embedder updates (optimiser steps) stage 1 made: what {@code stage1.budget} equalises
 * @param finalLoss   last stage-1 loss
 * @param cached      true when reused from the stage cache
 */
public record AlignResult(String embedderKey, String digest, String aligner, long steps, double finalLoss,
                          boolean cached) {
}
