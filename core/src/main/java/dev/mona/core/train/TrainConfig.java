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
 * @param warmupEpochs    epochs of linear warm-up before the linear decay to zero; stepped per mini-batch
 * @param clipNorm        global gradient-norm clip, 0 for none
 */
public record TrainConfig(int epochs, int batchSize, int accumulation, OptimizerKind optimizer, double learningRate,
                          double weightDecay, double momentum, int warmupEpochs, double clipNorm) {
    public TrainConfig {
        if (epochs < 0 || batchSize <= 0 || accumulation <= 0 || learningRate < 0 || weightDecay < 0) {
            throw new BadConfigurationException("invalid training configuration: epochs=" + epochs + " batchSize="
                    + batchSize + " accumulation=" + accumulation + " lr=" + learningRate + " wd=" + weightDecay);
        }
    }

    /** These settings for {@code e} epochs, the warm-up shortened to fit (at most {@code e - 1} epochs). */
    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, accumulation, optimizer, learningRate, weightDecay, momentum,
                Math.min(warmupEpochs, Math.max(0, e - 1)), clipNorm);
    }
}
