package dev.mona.core.method;

import dev.mona.core.train.TrainerOptions;
import dev.mona.core.train.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run settings of a method's stage 1 (Emb, ORCA, MoNA), the counterpart of the {@link TrainerOptions} of stage 2:
 * progress goes to {@link TrainingListener}s after every optimiser step, and the moved parameters, the optimiser
 * state and the position (which fixes the samplers' state) are checkpointed to {@code checkpointDir} through
 * {@link dev.mona.core.train.CheckpointStore}. A stage 1 started over a directory that holds a checkpoint resumes
 * from its newest one and ends bit-identical to an uninterrupted run.
 *
 * @param checkpointDir   where checkpoints go; null for none
 * @param checkpointEvery checkpoint every this many optimiser steps (meta-steps for MoNA, embedder epochs for ORCA);
 *                        0: only at the end (and at epoch ends for Emb, whose loop is the {@link
 *                        dev.mona.core.train.Trainer}'s)
 * @param listeners       hooks called by the loop
 */
public record Stage1Options(Path checkpointDir, int checkpointEvery, List<TrainingListener> listeners) {
    /**
     * The default of {@code align.checkpoint-every}: at most this many steps are recomputed after a lost worker, and
     * a checkpoint costs little next to ten MoNA meta-steps.
     */
    public static final int DEFAULT_CHECKPOINT_EVERY = 10;

    public Stage1Options {
        listeners = List.copyOf(listeners);
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + checkpointEvery);
        }
    }

    /** No checkpoints, no listeners. */
    public static Stage1Options none() {
        return new Stage1Options(null, 0, List.of());
    }

    public Stage1Options withCheckpoints(Path dir, int every) {
        return new Stage1Options(dir, every, listeners);
    }

    public Stage1Options withListener(TrainingListener listener) {
        List<TrainingListener> l = new ArrayList<>(listeners);
        l.add(listener);
        return new Stage1Options(checkpointDir, checkpointEvery, l);
    }

    /**
     * The same settings for a stage 1 that runs the {@link dev.mona.core.train.Trainer} (Emb), seeded; each step's
     * loss reaches the {@link Stage1Listener}s as the task loss of a {@link Stage1Step}, before its progress.
     */
    TrainerOptions trainerOptions(long seed) {
        TrainerOptions o = TrainerOptions.seeded(seed).withCheckpoints(checkpointDir, checkpointEvery);
        o = o.withListener(new TrainingListener() {
            @Override
            public void onStep(Progress p) {
                report(listeners, Stage1Step.embedder(p.step(), p.loss()));
            }
        });
        for (TrainingListener l : listeners) {
            o = o.withListener(l);
        }
        return o;
    }

    /** Hands {@code step} to those of {@code listeners} that take stage-1 losses. */
    static void report(List<TrainingListener> listeners, Stage1Step step) {
        for (TrainingListener l : listeners) {
            if (l instanceof Stage1Listener s) {
                s.onStage1Step(step);
            }
        }
    }
}
