package dev.mona.core.train;

import dev.mona.core.BadConfigurationException;

import java.util.List;

/**
 * ORCA's {@code StepLR} (its {@code no_warmup_scheduler}, the schedule of the stage-1 embedder optimiser):
 * {@code lr(e) = peak * gamma^k} with {@code k} the number of milestones {@code m} with {@code e > m}, where
 * {@code e} counts scheduler steps from 0 (one per embedder epoch). With ORCA's milestones (20, 40, 60) and gamma
 * 0.2, epochs 0-20 take the peak, 21-40 {@code 0.2 peak}, 41-60 {@code 0.04 peak}, later ones {@code 0.008 peak}.
 *
 * @param peak       the base learning rate
 * @param milestones the epochs after which the rate is multiplied by {@code gamma}, ascending
 * @param gamma      the factor
 */
public record StepDecay(double peak, List<Integer> milestones, double gamma) implements LearningRateSchedule {
    public StepDecay {
        milestones = List.copyOf(milestones);
        for (int i = 1; i < milestones.size(); i++) {
            if (milestones.get(i) <= milestones.get(i - 1)) {
                throw new BadConfigurationException("step-decay milestones must ascend, got " + milestones);
            }
        }
        if (peak < 0 || !(gamma >= 0)) {
            throw new BadConfigurationException("invalid step decay: peak=" + peak + " gamma=" + gamma);
        }
    }

    @Override
    public double at(long step) {
        int k = 0;
        for (int m : milestones) {
            if (step > m) {
                k++;
            }
        }
        return peak * Math.pow(gamma, k);
    }
}
