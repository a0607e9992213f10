package dev.mona.workers;

import dev.mona.workflows.RetryTuning;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferProgress;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The production topology: the port-bound Temporal server with no workers of its own, the orchestrator and a GPU
 * worker each in a JVM of its own, s3proxy. An orchestrator is killed with SIGKILL twice in one run: the one running
 * a CPU stage (retried by another within the heartbeat timeout instead of the stage limit) and, during fine-tuning,
 * the one that ran the run's last workflow task (the next task reaches another one: none is left on the dead one's
 * sticky queue); queries are answered at once and the run completes.
 */
class OrchestratorLossTest {
    @TempDir
    Path dir;

    @Test
    void runsSurviveKillsOfTheOrchestrator() throws Exception {
        try (Cluster c = new Cluster(dir, false)) {
            // two orchestrators polling, as in a deployment with a spare; the JVMs start side by side
            List<Process> orchestrators = new ArrayList<>(List.of(c.startWorker("orchestrator"),
                    c.startWorker("orchestrator")));
            c.startGpuWorker();
            // heartbeat timeout 4 s; the stage limit of 10 min is what a lost CPU attempt waited for before
            RetryTuning tuning = new RetryTuning(4, 300, 2, 20, 10);
            TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.FT, 17, "", Map.of("limit",
                    "12", "batch", "4", "epochs", "4", "source.samples", "20", "source.limit", "600",
                    "source.epochs", "1", "probe.epochs", "5"), false, tuning);
            String id = Submissions.transfer(c.client, r).workflowId();

            PendingActivityInfo source = started(c, id, "PrepareSource", Duration.ofSeconds(120));
            kill(orchestrators, source.getLastWorkerIdentity()); // SIGKILL inside the source stage
            long killed = System.nanoTime();
            orchestrators.add(c.startWorker("orchestrator")); // the replacement warms up while the run goes on
            while (pending(c, id, "PrepareSource").filter(a -> a.getAttempt() < 2).isPresent()) {
                assertTrue(System.nanoTime() - killed < Duration.ofSeconds(60).toNanos(),
                        "the lost source attempt was not retried within a minute");
                Thread.sleep(200);
            }

            started(c, id, "FineTune", Duration.ofSeconds(120));
            // SIGKILL of the orchestrator that ran the run's last workflow task (the holder of any sticky queue),
            // while the GPU worker trains: the task of the fine-tune's completion must reach the other one
            HistoryEvent last = c.client.fetchHistory(id).getEvents().stream()
                    .filter(HistoryEvent::hasWorkflowTaskStartedEventAttributes).reduce((x, y) -> y).orElseThrow();
            kill(orchestrators, last.getWorkflowTaskStartedEventAttributes().getIdentity());
            TransferResult res = c.client.newUntypedWorkflowStub(id).getResult(120, TimeUnit.SECONDS,
                    TransferResult.class);
            assertEquals(id, res.runId());
            assertTrue(c.store.exists(res.artifacts().get("manifest")), res.toString());

            long q = System.nanoTime();
            TransferProgress p = c.client.newUntypedWorkflowStub(id).query("progress", TransferProgress.class);
            assertEquals("done", p.stage());
            assertTrue(System.nanoTime() - q < Duration.ofSeconds(10).toNanos(), "the progress query took "
                    + (System.nanoTime() - q) / 1_000_000 + " ms");
        } catch (AssertionError | RuntimeException e) {
            StringBuilder logs = new StringBuilder(String.valueOf(e.getMessage()));
            try (var files = Files.list(dir)) {
                for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                    String text = Files.readString(log);
                    logs.append("\n--- ").append(log.getFileName()).append('\n')
                            .append(text.substring(Math.max(0, text.length() - 3000)));
                }
            }
            throw new AssertionError(logs.toString(), e);
        }
    }

    /** Waits until an attempt of {@code type} runs on a worker. */
    private static PendingActivityInfo started(Cluster c, String id, String type, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<PendingActivityInfo> a = pending(c, id, type)
                    .filter(x -> x.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
            if (a.isPresent()) {
                return a.get();
            }
            Thread.sleep(50);
        }
        return fail(type + " never started");
    }

    /** SIGKILLs the worker JVM with Temporal identity {@code pid@host}: no shutdown hook, no goodbye. */
    private static void kill(List<Process> workers, String identity) throws InterruptedException {
        long pid = Long.parseLong(identity.substring(0, identity.indexOf('@')));
        Process p = workers.stream().filter(w -> w.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no orchestrator JVM is " + identity));
        p.destroyForcibly().waitFor();
        workers.remove(p);
    }

    private static Optional<PendingActivityInfo> pending(Cluster c, String id, String type) {
        return c.client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                        DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getPendingActivitiesList().stream().filter(a -> a.getActivityType().getName().equals(type))
                .findFirst();
    }
}
