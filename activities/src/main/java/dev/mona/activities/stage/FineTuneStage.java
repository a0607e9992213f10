package dev.mona.activities.stage;

/** Fine-tune stage (stage 2): core's Trainer (warm-up + linear decay, the task's optimiser, best-on-validation). */
public final class FineTuneStage {
    private FineTuneStage() {}

    public static final String IMPLEMENTATION = "core:trainer";
}
