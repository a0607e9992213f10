package dev.mona.core.method;

import dev.mona.core.task.TaskProtocol;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;

import java.util.List;

/**
 * ORCA's stage 1 (METHOD.md section 3; PAPER-NOTES sections 3 and 6), with ORCA's defaults.
 *
 * @param embedderEpochs optimiser steps, one per pass over the target classes; the task's {@code embedder_epochs}
 * @param sourceSamples  labelled source samples embedded once through the pretrained source embedding layer;
 *                       default 5000
 * @param reg            entropic regularisation of every Sinkhorn problem; default 0.1
 * @param pseudoClasses  k of the k-means pseudo-labels (on the target values) for regression and dense tasks;
 *                       default 10
 * @param maxSamples     ORCA's {@code maxsamples}: every embedder epoch draws a fresh shuffle of each class in
 *                       mini-batches of {@code batchSize} until more than this many samples are in hand
 * @param batchSize      mini-batch of those draws (the fine-tuning batch, as in ORCA)
 * @param chunk          samples per embedder pass when recomputing target embeddings; default 64
 * @param optimizer      optimiser of the embedder: the task's
 * @param learningRate   its base rate: the task's, times 10 when that is at most 1e-3
 * @param weightDecay    its weight decay (the task's)
 * @param momentum       its SGD momentum (the task's)
 * @param beta1          its Adam first-moment decay (the task's)
 * @param beta2          its Adam second-moment decay (the task's)
 * @param milestones     ORCA's StepLR milestones (20, 40, 60), see {@link dev.mona.core.train.StepDecay}
 * @param gamma          the StepLR factor; 0.2
 * @param seed           seed of the class draws, the source subset and k-means
 */
public record OrcaConfig(int embedderEpochs, int sourceSamples, double reg, int pseudoClasses, int maxSamples,
                         int batchSize, int chunk, OptimizerKind optimizer, double learningRate, double weightDecay,
                         double momentum, double beta1, double beta2, List<Integer> milestones, double gamma,
                         long seed) {
    /** ORCA's {@code no_warmup_scheduler} milestones. */
    public static final List<Integer> MILESTONES = List.of(20, 40, 60);
    /** ORCA's {@code no_warmup_scheduler} base. */
    public static final double GAMMA = 0.2;
    /** ORCA's labelled source set: 5,000 samples. */
    public static final int SOURCE_SAMPLES = 5000;
    /** k of ORCA's k-means pseudo-labels. */
    public static final int PSEUDO_CLASSES = 10;
    /** Samples per embedder pass (memory only). */
    public static final int CHUNK = 64;

    public OrcaConfig {
        milestones = List.copyOf(milestones);
        if (embedderEpochs < 0 || sourceSamples < 1 || !(reg > 0) || pseudoClasses < 1 || maxSamples < 1
                || batchSize < 1 || chunk < 1 || !(learningRate >= 0) || !(gamma >= 0)) {
            throw new IllegalArgumentException("invalid ORCA configuration: epochs=" + embedderEpochs + " source="
                    + sourceSamples + " reg=" + reg + " k=" + pseudoClasses + " maxSamples=" + maxSamples
                    + " batch=" + batchSize + " chunk=" + chunk + " lr=" + learningRate + " gamma=" + gamma);
        }
    }

    /** ORCA's embedder learning rate for a task rate {@code lr}: ten times it when it is at most 1e-3. */
    public static double embedderRate(double lr) {
        // decimal, so that 3e-5 gives 3e-4 and not 3.0000000000000003e-4
        return lr <= 1e-3 ? java.math.BigDecimal.valueOf(lr).scaleByPowerOfTen(1).doubleValue() : lr;
    }

    /** ORCA's stage 1 for a task's fine-tuning settings and protocol. */
    public static OrcaConfig defaults(TrainConfig stage2, TaskProtocol protocol) {
        return new OrcaConfig(protocol.embedderEpochs(), SOURCE_SAMPLES, OtddDistance.DEFAULT_REG, PSEUDO_CLASSES,
                protocol.maxSamples(), stage2.batchSize(), CHUNK, stage2.optimizer(),
                embedderRate(stage2.learningRate()), stage2.weightDecay(), stage2.momentum(), stage2.beta1(),
                stage2.beta2(), MILESTONES, GAMMA, 0L);
    }

    /**
     * Samples of a class of {@code size} drawn in one embedder epoch: whole mini-batches until more than
     * {@link #maxSamples()} are in hand, or the whole class.
     */
    public int drawn(int size) {
        long n = (long) batchSize * (maxSamples / batchSize + 1);
        return (int) Math.min(size, n);
    }
}
