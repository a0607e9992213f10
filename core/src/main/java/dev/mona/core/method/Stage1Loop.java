package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mona.core.model.MonaModelException;
import dev.mona.core.model.Params;
import dev.mona.core.train.Autograd;
import dev.mona.core.train.CheckpointStore;
import dev.mona.core.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Progress and checkpoints of a stage-1 loop that takes its own optimiser steps (ORCA, MoNA), as the
 * {@link dev.mona.core.train.Trainer} does for stage 2: a checkpoint holds the moved parameters, the
 * {@link OuterOptimizer}'s state and the loop's {@link State} (position, configuration, losses so far). Whatever
 * the loop draws at random is a function of its configuration's seed and the position, so the position restores
 * the samplers too.
 */
final class Stage1Loop {
    private static final Logger LOG = LoggerFactory.getLogger(Stage1Loop.class);

    /** What a stage-1 loop writes as {@code state.json} besides the arrays. */
    interface State {
        /** Optimiser steps done (the checkpoint's position). */
        long step();

        /** The configuration the loop ran with (a resume under another one is refused). */
        Object config();
    }

    private final String method;
    private final Stage1Options options;
    private final CheckpointStore store;
    private final long totalSteps;

    Stage1Loop(String method, Stage1Options options, long totalSteps) {
        this.method = method;
        this.options = options;
        this.store = options.checkpointDir() == null ? null : new CheckpointStore(options.checkpointDir());
        this.totalSteps = totalSteps;
    }

    /**
     * Restores the newest checkpoint, if any, into {@code moved} and {@code optimizer}; returns its state, or
     * empty for a fresh start.
     */
    <S extends State> Optional<S> resume(Map<String, NDArray> moved, OuterOptimizer optimizer, Object config,
                                         Class<S> type) {
        if (store == null || store.latestDirectory().isEmpty()) {
            return Optional.empty();
        }
        NDManager base = moved.values().iterator().next().getManager();
        try (NDManager m = base.newSubManager()) {
            CheckpointStore.Checkpoint<S> ck = store.loadLatest(Params.of(moved), m, type).orElseThrow();
            S s = ck.state();
            if (!config.equals(s.config())) {
                throw new MonaModelException(method + " checkpoint in " + store.directory()
                        + " was written with configuration " + s.config() + " but this run has " + config
                        + "; resume with the same configuration or delete the checkpoints to start over");
            }
            ck.params().asMap().forEach((name, value) -> Autograd.copyInto(moved.get(name), value));
            optimizer.restore(ck.optimizerState(), s.step());
            LOG.info("{}: resumed from {} at step {}/{}", method, store.directory(), s.step(), totalSteps);
            return Optional.of(s);
        }
    }

    /**
     * After optimiser step {@code progress.step()}: checkpoints every {@link Stage1Options#checkpointEvery()} steps
     * and after the last, then tells the listeners (checkpoint first, as the Trainer does, so a listener that stops
     * the run leaves the checkpoint of this step behind): {@code losses} to the {@link Stage1Listener}s, then
     * {@code progress} to all.
     */
    void stepDone(TrainingListener.Progress progress, Stage1Step losses, Map<String, NDArray> moved,
                  OuterOptimizer optimizer, Supplier<? extends State> state) {
        long step = progress.step();
        int every = options.checkpointEvery();
        if (store != null && (step == totalSteps || (every > 0 && step % every == 0))) {
            Path dir = store.save(Params.of(moved), optimizer, step, state.get());
            for (TrainingListener l : options.listeners()) {
                l.onCheckpoint(dir, step);
            }
        }
        Stage1Options.report(options.listeners(), losses);
        for (TrainingListener l : options.listeners()) {
            l.onStep(progress);
        }
    }
}
