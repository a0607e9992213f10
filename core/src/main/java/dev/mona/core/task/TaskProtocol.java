package dev.mona.core.task;

import dev.mona.core.BadConfigurationException;

/**
 * A task's settings from its ORCA configuration ({@code src/configs/*.yaml}) besides stage 2: the 1-D embedder's
 * token budget and ORCA's stage 1 (embedder epochs, samples per target class).
 *
 * @param targetSeqLen   ORCA's {@code target_seq_len}: the 1-D embedder stacks {@code s} input steps a token, the
 *                       smallest divisor {@code s} of the length with {@code length / s <= targetSeqLen}
 * @param embedderEpochs ORCA's {@code embedder_epochs}: stage-1 optimiser steps
 * @param maxSamples     ORCA's {@code maxsamples}: target samples of a class are drawn in mini-batches until more
 *                       than this many are in hand, afresh every embedder epoch
 */
public record TaskProtocol(int targetSeqLen, int embedderEpochs, int maxSamples) {
    /** ORCA's common values: 512 tokens, 60 embedder epochs, 128 samples a class. */
    public static final TaskProtocol ORCA_DEFAULTS = new TaskProtocol(512, 60, 128);

    public TaskProtocol {
        if (targetSeqLen < 1 || embedderEpochs < 0 || maxSamples < 1) {
            throw new BadConfigurationException("invalid task protocol: targetSeqLen=" + targetSeqLen
                    + " embedderEpochs=" + embedderEpochs + " maxSamples=" + maxSamples);
        }
    }

    public TaskProtocol withTargetSeqLen(int n) {
        return new TaskProtocol(n, embedderEpochs, maxSamples);
    }

    public TaskProtocol withEmbedderEpochs(int n) {
        return new TaskProtocol(targetSeqLen, n, maxSamples);
    }

    public TaskProtocol withMaxSamples(int n) {
        return new TaskProtocol(targetSeqLen, embedderEpochs, n);
    }
}
