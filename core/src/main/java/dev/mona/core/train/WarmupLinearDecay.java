package dev.mona.core.train;

import dev.mona.core.BadConfigurationException;

/**
 * ORCA's {@code WarmupLR} schedule, stepped per optimiser step: the rate rises linearly from 0 over
 * {@code warmupSteps}, {@code lr(s) = peak * s / warmupSteps}, then decays linearly to 0 at {@code totalSteps},
 * {@code lr(s) = peak * (totalSteps - s) / (totalSteps - warmupSteps)}. Like ORCA (LambdaLR stepped after each
 * update) the first update uses {@code lr(0)}, which is 0 when there is a warm-up. Unlike ORCA the rate is clamped
 * at 0 past {@code totalSteps} instead of turning negative.
 *
 * @param peak        the configured learning rate
 * @param warmupSteps warm-up epochs times optimiser steps per epoch
 * @param totalSteps  decay epochs (ORCA: all epochs) times optimiser steps per epoch
 */
public record WarmupLinearDecay(double peak, long warmupSteps, long totalSteps) implements LearningRateSchedule {
    public WarmupLinearDecay {
        if (warmupSteps < 0 || totalSteps < 0 || peak < 0) {
            throw new BadConfigurationException("invalid schedule: peak=" + peak + " warmup=" + warmupSteps
                    + " total=" + totalSteps);
        }
    }

    /** The schedule of a run of {@code epochs} epochs with {@code stepsPerEpoch} optimiser steps each. */
    public static WarmupLinearDecay of(TrainConfig config, long stepsPerEpoch) {
        return new WarmupLinearDecay(config.learningRate(), (long) config.warmupEpochs() * stepsPerEpoch,
                (long) config.epochs() * stepsPerEpoch);
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
