package dev.mona.cli;

import dev.mona.workers.Progress;
import dev.mona.workflows.SweepProgress;
import dev.mona.workflows.SweepWorkflow;
import dev.mona.workflows.TransferResult;
import dev.mona.workflows.TransferProgress;
import dev.mona.workflows.stage.StageHeartbeat;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows a run or sweep until it closes: workflow queries give the stage (or the sweep's finished runs), the
 * pending activity's heartbeat gives epoch, step and loss. On a terminal the progress is drawn as bars, otherwise
 * a line is printed whenever it changes.
 */
final class Watcher {
    private Watcher() {}

    /** The workflow type of a sweep (Temporal names it after its interface). */
    private static final String SWEEP_TYPE = SweepWorkflow.class.getSimpleName();
    /** How long {@code status} and {@code watch} wait for the progress query before showing the state without it. */
    static final java.time.Duration QUERY_TIMEOUT = java.time.Duration.ofSeconds(3);
    /** What a line says of a workflow whose workflow task fails ({@link Progress#failingWorkflowTask}). */
    static final String FAILING = "the orchestrator fails on this workflow: ",
            FAILING_FIX = " (Temporal retries it until the orchestrator can run it: check that the workers run this "
                    + "mona version, 'mona --version', and the orchestrator's log)";

    /** Final status ({@code COMPLETED}, {@code FAILED}, ...) or {@code RUNNING} when {@code timeoutSeconds} ran out. */
    static String follow(WorkflowClient client, String id, boolean show, Long timeoutSeconds, PrintWriter err,
                         Consumer<Object> jsonLines) throws InterruptedException {
        return follow(client, id, show, timeoutSeconds, err, jsonLines,
                System.console() != null && show ? () -> null : null); // null consumer: progressbar's own console

    }

    /**
     * {@link #follow(WorkflowClient, String, boolean, Long, PrintWriter, Consumer)} drawing bars through
     * {@code bars} (a consumer per bar, null from it for the terminal's; a null {@code bars}: a line on {@code err}
     * whenever the progress changes). JSON lines are
     * emitted only when the snapshot changed. At the end every bar shows the final state: the stages (or runs)
     * bar its final count and status, the epochs bar full with its stage done (or the status it ended in).
     */
    static String follow(WorkflowClient client, String id, boolean show, Long timeoutSeconds, PrintWriter err,
                         Consumer<Object> jsonLines, Supplier<ProgressBarConsumer> bars) throws InterruptedException {
        long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        boolean drawn = bars != null && show;
        ProgressBar stages = null, epochs = null;
        String last = "";
        Progress.Snapshot lastSnap = null;
        StageHeartbeat lastBeat = null;
        try {
            while (true) {
                Progress.Snapshot snap = snapshot(client, id);
                if (jsonLines != null && !snap.equals(lastSnap)) {
                    jsonLines.accept(snap);
                }
                lastSnap = snap;
                boolean closed = !"RUNNING".equals(snap.status());
                if (show) {
                    Object progress = progress(client, snap); // one query a tick, for the line and the bars
                    String line = describe(client, snap, progress);
                    if (drawn) {
                        long[] se = counts(progress);
                        if (stages == null) {
                            stages = bar(isSweep(snap) ? "runs" : "stages", se[1], bars.get());
                        }
                        if (progress != null) {
                            stages.maxHint(se[1]).stepTo(se[0]);
                        }
                        if ("COMPLETED".equals(snap.status())) {
                            stages.stepTo(stages.getMax());
                        }
                        stages.setExtraMessage(line);
                        StageHeartbeat hb = heartbeat(snap);
                        if (hb != null && hb.epochs() > 0) {
                            if (epochs == null) {
                                epochs = bar("epochs", hb.epochs(), bars.get());
                            }
                            epochs.maxHint(hb.epochs()).stepTo(Math.max(0, hb.epoch() - 1))
                                    .setExtraMessage(String.format(Locale.ROOT, "%s loss %.4f", hb.stage(), hb.loss()));
                            lastBeat = hb;
                        } else if (epochs != null && lastBeat != null) {
                            // the stage that sent the epochs has ended: its loss is no longer current
                            if (closed && !"COMPLETED".equals(snap.status())) {
                                epochs.setExtraMessage(lastBeat.stage() + " " + snap.status().toLowerCase(Locale.ROOT));
                            } else {
                                epochs.stepTo(epochs.getMax()).setExtraMessage(lastBeat.stage() + " done");
                            }
                        } else if (epochs == null && "COMPLETED".equals(snap.status()) && !isSweep(snap)) {
                            // finished between two ticks (or before the first): the result says how many epochs ran
                            int ran = client.newUntypedWorkflowStub(id).getResult(TransferResult.class).epochs();
                            if (ran > 0) {
                                epochs = bar("epochs", ran, bars.get());
                                epochs.stepTo(ran).setExtraMessage("finetune done");
                            }
                        }
                    } else if (!line.equals(last)) {
                        err.println("  " + line);
                        err.flush();
                    }
                    last = line;
                }
                if (closed) {
                    return snap.status();
                }
                if (System.nanoTime() > deadline) {
                    return "RUNNING";
                }
                Thread.sleep(500);
            }
        } finally {
            if (epochs != null) epochs.close();
            if (stages != null) stages.close();
        }
    }

    /**
     * The run's or sweep's snapshot; an unknown id is not found (exit 4) naming the id, not Temporal's own text
     * ("Execution not found in mutable state").
     */
    static Progress.Snapshot snapshot(WorkflowClient client, String id) {
        try {
            return Progress.describe(client, id);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw new CliException(ExitCodes.NOT_FOUND, "no run or sweep '" + id + "'; see 'mona ls'");
            }
            throw e;
        }
    }

    /** Whether Temporal knows a workflow with this id. */
    static boolean exists(WorkflowClient client, String id) {
        try {
            Progress.describe(client, id);
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static ProgressBar bar(String name, long max, ProgressBarConsumer consumer) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(name).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate();
        return (consumer == null ? b : b.setConsumer(consumer)).build();
    }

    static StageHeartbeat heartbeat(Progress.Snapshot snap) {
        return snap.pending().stream().map(Progress.PendingStage::heartbeat).filter(h -> h != null).findFirst()
                .orElse(null);
    }

    private static boolean isSweep(Progress.Snapshot snap) {
        return SWEEP_TYPE.equals(snap.workflowType());
    }

    /**
     * The workflow's progress query: a {@link SweepProgress} (a sweep) or {@link TransferProgress} (a run), or
     * {@code null} when it cannot be answered within {@link #QUERY_TIMEOUT} (no orchestrator is polling).
     */
    private static Object progress(WorkflowClient client, Progress.Snapshot snap) {
        Class<?> type = isSweep(snap) ? SweepProgress.class : TransferProgress.class;
        return Progress.query(client, snap.workflowId(), "progress", type, QUERY_TIMEOUT).orElse(null);
    }

    /** {done, total} of stages (a run) or runs (a sweep). */
    private static long[] counts(Object progress) {
        if (progress instanceof SweepProgress p) {
            return new long[]{p.rows().size(), p.total()};
        }
        if (progress instanceof TransferProgress p) {
            return new long[]{p.stagesDone().size(), p.stageCount()};
        }
        return new long[]{0, 1};
    }

    /** One line: status, stage or finished runs, and the heartbeat of the stage in progress. */
    static String describe(WorkflowClient client, Progress.Snapshot snap) {
        return describe(client, snap, progress(client, snap));
    }

    /** {@link #describe(WorkflowClient, Progress.Snapshot)} with the progress query already answered. */
    private static String describe(WorkflowClient client, Progress.Snapshot snap, Object progress) {
        StringBuilder b = new StringBuilder(snap.status().toLowerCase(Locale.ROOT));
        if (progress instanceof SweepProgress p) {
            long failed = p.rows().stream().filter(r -> !"completed".equals(r.status())).count();
            b.append(String.format(" %d/%d runs finished (%d failed), %d running", p.rows().size(), p.total(),
                    failed, p.running().size()));
            // what each run in flight is doing
            for (String child : p.running()) {
                try {
                    b.append(" | ").append(child.replaceFirst("^transfer-", "").replaceFirst("-[0-9a-f]{10}$", ""))
                            .append(": ").append(describe(client, Progress.describe(client, child))
                                    .replaceFirst("^running ", ""));
                } catch (RuntimeException e) {
                    // a child not started yet
                }
            }
        } else if (progress instanceof TransferProgress p) {
            b.append(" stage ").append(p.stage()).append(" (").append(p.stagesDone().size()).append('/')
                    .append(p.stageCount()).append(')');
        }
        if (progress == null && "RUNNING".equals(snap.status())) {
            // no answer to the progress query: no orchestrator polls, or it fails on this workflow
            Progress.failingWorkflowTask(client, snap.workflowId()).ifPresent(f -> b.append(" | ")
                    .append(FAILING).append(f.length() > 200 ? f.substring(0, 197) + "..." : f).append(FAILING_FIX));
        }
        for (Progress.PendingStage s : snap.pending()) {
            b.append(" | ").append(s.activityType());
            StageHeartbeat h = s.heartbeat();
            if (h != null && h.epochs() > 0) {
                b.append(String.format(Locale.ROOT, " epoch %d/%d", h.epoch(), h.epochs()));
            }
            if (h != null && h.steps() > 0) {
                b.append(String.format(Locale.ROOT, " step %d/%d loss %.4f", h.step(), h.steps(), h.loss()));
            }
            if (h != null && h.losses().containsKey("grad_ratio")) {
                // MoNA: how much of the embedder's update is the knowledge-preservation term
                b.append(String.format(Locale.ROOT, " |knowledge|/|direct| %.3g", h.losses().get("grad_ratio")));
            }
            if (s.attempt() > 1) {
                b.append(" attempt ").append(s.attempt());
                if (s.lastFailure() != null) {
                    String f = s.lastFailure();
                    b.append(" (last failure: ").append(f.length() > 100 ? f.substring(0, 97) + "..." : f).append(')');
                }
            }
        }
        return b.toString();
    }
}
