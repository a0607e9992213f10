package dev.mona.core.method;

import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;

/**
 * Every choice of MoNA's stage 1 (METHOD.md section 4) that the paper leaves open, with the project's defaults.
 *
 * @param innerLearningRate    alpha of the single inner SGD step {@code theta' = theta - alpha grad_theta L_in};
 *                             default: the stage-2 learning rate
 * @param lambda               weight of {@code L_out} in {@code L_total = L_in + lambda L_out}; default 0.4
 *                             (the paper suggests 0.3 to 0.5)
 * @param temperature          t of the uniformity loss; default 2
 * @param steps                stage-1 meta-iterations; default 200
 * @param predictorInInnerStep whether the predictor psi takes the inner step with the encoder; default true
 * @param uniformityPairs      uniformity over all pairs (default) or only different-class pairs
 * @param sourceClasses        k, classes per source batch; default 4
 * @param samplesPerClass      m, samples per class in a source batch (>= 2 so same-class pairs exist); default 8
 * @param targetBatchSize      target samples per meta-iteration; default: the stage-2 batch size
 * @param outerOptimizer       optimiser of the outer step on the embedder phi; default Adam
 * @param outerLearningRate    its learning rate beta; default: the stage-2 learning rate
 * @param hvp                  exact double backward (default) or central-difference Hessian-vector product
 * @param diagnosticsEvery     the source batch's alignment and uniformity before the inner step (an extra forward of
 *                             the source batch, about a tenth of a meta-step) are measured on every this many
 *                             meta-steps, the first included; default {@value #DEFAULT_DIAGNOSTICS_EVERY}
 * @param seed                 seed of the batch samplers
 */
public record MonaConfig(double innerLearningRate, double lambda, double temperature, int steps,
                         boolean predictorInInnerStep, UniformityPairs uniformityPairs, int sourceClasses,
                         int samplesPerClass, int targetBatchSize, OptimizerKind outerOptimizer,
                         double outerLearningRate, HvpMode hvp, int diagnosticsEvery, long seed) {
    public static final double DEFAULT_LAMBDA = 0.4;
    public static final double DEFAULT_TEMPERATURE = 2.0;
    public static final int DEFAULT_STEPS = 200;
    public static final int DEFAULT_SOURCE_CLASSES = 4;
    public static final int DEFAULT_SAMPLES_PER_CLASS = 8;
    /**
     * Meta-steps per before-step measurement: the source pass at theta costs about 10 % of a ViT-Tiny meta-step
     * (measured against the same step without it), so every tenth step keeps it near 1 %.
     */
    public static final int DEFAULT_DIAGNOSTICS_EVERY = 10;

    public MonaConfig {
        if (!(innerLearningRate >= 0) || !(lambda >= 0) || !(temperature > 0) || steps < 0
                || !(outerLearningRate >= 0)) {
            throw new IllegalArgumentException("invalid MoNA configuration: alpha=" + innerLearningRate + " lambda="
                    + lambda + " t=" + temperature + " steps=" + steps + " beta=" + outerLearningRate
                    + "; all must be non-negative and t positive");
        }
        if (sourceClasses < 1 || samplesPerClass < 2) {
            throw new IllegalArgumentException("source batch composition " + sourceClasses + " classes x "
                    + samplesPerClass + " samples has no same-class pair; use samplesPerClass >= 2");
        }
        if (uniformityPairs == UniformityPairs.DIFFERENT_CLASS && sourceClasses < 2) {
            throw new IllegalArgumentException("uniformity over different-class pairs needs sourceClasses >= 2, got "
                    + sourceClasses);
        }
        if (diagnosticsEvery < 1) {
            throw new IllegalArgumentException("diagnosticsEvery must be positive, got " + diagnosticsEvery);
        }
        if (targetBatchSize < 1) {
            throw new IllegalArgumentException("targetBatchSize must be positive, got " + targetBatchSize);
        }
    }

    /** Whether the meta-step at 0-based position {@code step} measures the source batch before the inner step. */
    public boolean diagnosesBefore(int step) {
        return step % diagnosticsEvery == 0;
    }

    /** The defaults, tied to the task's stage-2 settings (alpha, beta and the target batch size). */
    public static MonaConfig defaults(TrainConfig stage2) {
        return new MonaConfig(stage2.learningRate(), DEFAULT_LAMBDA, DEFAULT_TEMPERATURE, DEFAULT_STEPS, true,
                UniformityPairs.ALL, DEFAULT_SOURCE_CLASSES, DEFAULT_SAMPLES_PER_CLASS, stage2.batchSize(),
                OptimizerKind.ADAM, stage2.learningRate(), HvpMode.EXACT, DEFAULT_DIAGNOSTICS_EVERY, 0L);
    }
}
