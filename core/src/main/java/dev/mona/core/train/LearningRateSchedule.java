package dev.mona.core.train;

/** Learning rate as a function of the optimiser step (0-based: the rate used by the step-th update). */
@FunctionalInterface
public interface LearningRateSchedule {
    double at(long step);

    /** A constant rate. */
    static LearningRateSchedule constant(double lr) {
        return step -> lr;
    }
}
