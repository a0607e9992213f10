package dev.mona.core.train;

import dev.mona.core.BadConfigurationException;

/**
 * ORCA's {@code WarmupLR} schedule, stepped per mini-batch ({@code s} counts mini-batches from 0, as ORCA's
 * LambdaLR stepped after every mini-batch): the rate rises linearly from 0 over {@code warmupSteps},
 * {@code lr(s) = peak * s / warmupSteps}, then decays linearly to 0 at {@code totalSteps},
 * {@code lr(s) = peak * (totalSteps - s) / (totalSteps - warmupSteps)}. An optimiser step that sums {@code a}
 * accumulated mini-batches takes the rate of its last one, as ORCA's {@code optimizer.step()} runs before that
 * mini-batch's {@code scheduler.step()}. The first update uses {@code lr(0)}, which is 0 when there is a warm-up.
 * Unlike ORCA the rate is clamped at 0 past {@code totalSteps} instead of turning negative.
 *
 * @param peak        the configured learning rate
 * @param warmupSteps warm-up epochs times mini-batches per epoch
 * @param totalSteps  ORCA's decay epochs ({@link TrainConfig#decayHorizon()}) times mini-batches per epoch
 */
public record WarmupLinearDecay(double peak, long warmupSteps, long totalSteps) implements LearningRateSchedule {
    public WarmupLinearDecay {
        if (warmupSteps < 0 || totalSteps < 0 || peak < 0) {
            throw new BadConfigurationException("invalid schedule: peak=" + peak + " warmup=" + warmupSteps
                    + " total=" + totalSteps);
        }
    }

    /** The schedule of {@code config} for {@code batchesPerEpoch} mini-batches an epoch. */
    public static WarmupLinearDecay of(TrainConfig config, long batchesPerEpoch) {
        return new WarmupLinearDecay(config.learningRate(), (long) config.warmupEpochs() * batchesPerEpoch,
                (long) config.decayHorizon() * batchesPerEpoch);
    }

    @Override
    public double at(long step) {
        if (warmupSteps > 0 && step < warmupSteps) {
            return peak * step / warmupSteps;
        }
        long decay = totalSteps - warmupSteps;
        if (decay <= 0) {
            return peak;
        }
        return peak * Math.max(0.0, (double) (totalSteps - step) / decay);
    }
}
