package dev.mona.core.method;

import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;

/**
 * ORCA's stage 1 (METHOD.md section 3), with its defaults.
 *
 * @param embedderEpochs      optimiser steps, one per pass over the target classes; default 60
 * @param sourceSamples       labelled source samples embedded once through the pretrained source embedding layer;
 *                            default 5000
 * @param reg                 entropic regularisation of every Sinkhorn problem; default 0.1
 * @param pseudoClasses       k of the k-means pseudo-labels (on the target values) for regression and dense tasks;
 *                            default 10
 * @param maxTargetPerClass   target samples per class used in the OTDD (a seeded subset beyond it); default 1000
 * @param chunk               samples per embedder pass when recomputing target embeddings; default 64
 * @param optimizer           optimiser of the embedder; default Adam
 * @param learningRate        its learning rate; default: the stage-2 learning rate
 * @param seed                seed of the subsets and of k-means
 */
public record OrcaConfig(int embedderEpochs, int sourceSamples, double reg, int pseudoClasses, int maxTargetPerClass,
                         int chunk, OptimizerKind optimizer, double learningRate, long seed) {
    public OrcaConfig {
        if (embedderEpochs < 0 || sourceSamples < 1 || !(reg > 0) || pseudoClasses < 1 || maxTargetPerClass < 1
                || chunk < 1 || !(learningRate >= 0)) {
            throw new IllegalArgumentException("invalid ORCA configuration: epochs=" + embedderEpochs + " source="
                    + sourceSamples + " reg=" + reg + " k=" + pseudoClasses + " perClass=" + maxTargetPerClass
                    + " chunk=" + chunk + " lr=" + learningRate);
        }
    }

    public static OrcaConfig defaults(TrainConfig stage2) {
        return new OrcaConfig(60, 5000, OtddDistance.DEFAULT_REG, 10, 1000, 64, OptimizerKind.ADAM,
                stage2.learningRate(), 0L);
    }
}
