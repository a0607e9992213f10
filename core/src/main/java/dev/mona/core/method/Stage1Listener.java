package dev.mona.core.method;

import dev.mona.core.train.TrainingListener;

/**
 * A {@link TrainingListener} of a stage-1 loop that also wants each step's losses and diagnostics
 * ({@link Stage1Step}); they arrive just before {@link #onStep} of the same step.
 */
public interface Stage1Listener extends TrainingListener {
    /** After optimiser step {@code step.step()}, before {@link #onStep} for it. */
    void onStage1Step(Stage1Step step);
}
