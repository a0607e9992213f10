package dev.mona.core.train;

import dev.mona.core.BadConfigurationException;

/**
 * Stage-2 (fine-tuning) settings of a task, ORCA's values by default.
 *
 * @param epochs          passes over the training split
 * @param batchSize       samples per mini-batch
 * @param accumulation    mini-batches whose gradients are summed before one optimiser step
 * @param optimizer       SGD (with momentum), Adam or AdamW
 * @param learningRate    peak learning rate
 * @param weightDecay     L2 (SGD, Adam) or decoupled (AdamW) weight decay
 * @param momentum        SGD momentum (ignored by Adam/AdamW)
 * @param warmupEpochs    epochs of linear warm-up before the linear decay; stepped per mini-batch
 * @param clipNorm        global gradient-norm clip, 0 for none
 * @param decayEpochs     ORCA's {@code decay_epochs}: the linear decay reaches 0 after this many epochs (a run
 *                        shorter than it ends above 0); 0: after {@code epochs}
 * @param beta1           Adam/AdamW first-moment decay (ORCA: 0.9)
 * @param beta2           Adam/AdamW second-moment decay (ORCA: 0.98; PyTorch's default 0.999)
 */
public record TrainConfig(int epochs, int batchSize, int accumulation, OptimizerKind optimizer, double learningRate,
                          double weightDecay, double momentum, int warmupEpochs, double clipNorm, int decayEpochs,
                          double beta1, double beta2) {
    /** PyTorch's default Adam betas, for settings that are not ORCA's. */
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;

    public TrainConfig {
        if (epochs < 0 || batchSize <= 0 || accumulation <= 0 || learningRate < 0 || weightDecay < 0
                || decayEpochs < 0 || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new BadConfigurationException("invalid training configuration: epochs=" + epochs + " batchSize="
                    + batchSize + " accumulation=" + accumulation + " lr=" + learningRate + " wd=" + weightDecay
                    + " decayEpochs=" + decayEpochs + " betas=(" + beta1 + ", " + beta2 + ")");
        }
    }

    /** Settings that decay over the run's own epochs, with PyTorch's default betas (0.9, 0.999). */
    public TrainConfig(int epochs, int batchSize, int accumulation, OptimizerKind optimizer, double learningRate,
                       double weightDecay, double momentum, int warmupEpochs, double clipNorm) {
        this(epochs, batchSize, accumulation, optimizer, learningRate, weightDecay, momentum, warmupEpochs, clipNorm,
                0, DEFAULT_BETA1, DEFAULT_BETA2);
    }

    /** These settings for {@code e} epochs, the warm-up shortened to fit (at most {@code e - 1} epochs). */
    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, accumulation, optimizer, learningRate, weightDecay, momentum,
                Math.min(warmupEpochs, Math.max(0, e - 1)), clipNorm, decayEpochs, beta1, beta2);
    }

    /** These settings for {@code e} epochs without warm-up, decaying to 0 over those {@code e} epochs. */
    public TrainConfig withoutWarmup(int e) {
        return new TrainConfig(e, batchSize, accumulation, optimizer, learningRate, weightDecay, momentum, 0,
                clipNorm, 0, beta1, beta2);
    }

    /** This configuration with ORCA's {@code decay_epochs} and Adam betas. */
    public TrainConfig withDecay(int decay, double b1, double b2) {
        return new TrainConfig(epochs, batchSize, accumulation, optimizer, learningRate, weightDecay, momentum,
                warmupEpochs, clipNorm, decay, b1, b2);
    }

    /** Epochs after which the linear decay reaches 0: {@link #decayEpochs()}, or {@link #epochs()} when it is 0. */
    public int decayHorizon() {
        return decayEpochs > 0 ? decayEpochs : epochs;
    }
}
