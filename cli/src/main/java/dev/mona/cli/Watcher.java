package dev.mona.cli;

import dev.mona.workers.Progress;
import dev.mona.workflows.SweepProgress;
import dev.mona.workflows.TransferProgress;
import dev.mona.workflows.stage.StageHeartbeat;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Follows a run or sweep until it closes: workflow queries give the stage (or the sweep's finished runs), the
 * pending activity's heartbeat gives epoch, step and loss. On a terminal the progress is drawn as bars, otherwise
 * a line is printed whenever it changes.
 */
final class Watcher {
    private Watcher() {}

    /** Final status ({@code COMPLETED}, {@code FAILED}, ...) or {@code RUNNING} when {@code timeoutSeconds} ran out. */
    static String follow(WorkflowClient client, String id, boolean show, Long timeoutSeconds, PrintWriter err,
                         Consumer<Object> jsonLines) throws InterruptedException {
        long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        boolean tty = System.console() != null && show;
        ProgressBar stages = null, epochs = null;
        String last = "";
        try {
            while (true) {
                Progress.Snapshot snap = Progress.describe(client, id);
                String line = describe(client, snap);
                if (jsonLines != null) {
                    jsonLines.accept(snap);
                }
                if (show) {
                    if (tty) {
                        long[] se = counts(client, snap);
                        if (stages == null) {
                            stages = bar(snap.workflowType().equals("SweepWorkflow") ? "runs" : "stages", se[1]);
                        }
                        stages.maxHint(se[1]).stepTo(se[0]).setExtraMessage(line);
                        StageHeartbeat hb = heartbeat(snap);
                        if (hb != null && hb.epochs() > 0) {
                            if (epochs == null) {
                                epochs = bar("epochs", hb.epochs());
                            }
                            epochs.maxHint(hb.epochs()).stepTo(Math.max(0, hb.epoch() - 1))
                                    .setExtraMessage(String.format(Locale.ROOT, "%s loss %.4f", hb.stage(), hb.loss()));
                        }
                    } else if (!line.equals(last)) {
                        err.println("  " + line);
                        err.flush();
                    }
                }
                last = line;
                if (!"RUNNING".equals(snap.status())) {
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

    private static ProgressBar bar(String name, long max) {
        return new ProgressBarBuilder().setTaskName(name).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .continuousUpdate().build();
    }

    static StageHeartbeat heartbeat(Progress.Snapshot snap) {
        return snap.pending().stream().map(Progress.PendingStage::heartbeat).filter(h -> h != null).findFirst()
                .orElse(null);
    }

    /** {done, total} of stages (a run) or runs (a sweep). */
    private static long[] counts(WorkflowClient client, Progress.Snapshot snap) {
        try {
            WorkflowStub stub = client.newUntypedWorkflowStub(snap.workflowId());
            if (snap.workflowType().equals("SweepWorkflow")) {
                SweepProgress p = stub.query("progress", SweepProgress.class);
                return new long[]{p.rows().size(), p.total()};
            }
            TransferProgress p = stub.query("progress", TransferProgress.class);
            return new long[]{p.stagesDone().size(), p.stageCount()};
        } catch (RuntimeException e) {
            return new long[]{0, 1};
        }
    }

    /** One line: status, stage or finished runs, and the heartbeat of the stage in progress. */
    static String describe(WorkflowClient client, Progress.Snapshot snap) {
        StringBuilder b = new StringBuilder(snap.status().toLowerCase(Locale.ROOT));
        try {
            WorkflowStub stub = client.newUntypedWorkflowStub(snap.workflowId());
            if (snap.workflowType().equals("SweepWorkflow")) {
                SweepProgress p = stub.query("progress", SweepProgress.class);
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
            } else {
                TransferProgress p = stub.query("progress", TransferProgress.class);
                b.append(" stage ").append(p.stage()).append(" (").append(p.stagesDone().size()).append('/')
                        .append(p.stageCount()).append(')');
            }
        } catch (RuntimeException e) {
            // a closed workflow without a worker to answer queries: the status alone
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
