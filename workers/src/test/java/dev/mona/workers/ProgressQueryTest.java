package dev.mona.workers;

import dev.mona.workflows.Queues;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferProgress;
import dev.mona.workflows.TransferRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The progress query on the port-bound test server: bounded while no orchestrator polls, answered once one does. */
class ProgressQueryTest {
    @Test
    void aQueryWithoutAnOrchestratorGivesUpInTime() {
        try (LoopbackTemporal server = LoopbackTemporal.start(0, "a free port")) {
            WorkflowClient client = TemporalConnection.connect(server.address(), "default");
            TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.FT, 1, "", Map.of(), false,
                    null);
            String id = Submissions.transfer(client, r).workflowId();
            long t0 = System.nanoTime();
            Optional<TransferProgress> none = Progress.query(client, id, "progress", TransferProgress.class,
                    Duration.ofSeconds(2));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(none.isEmpty());
            assertTrue(ms < 6000, "the query took " + ms + " ms");

            WorkerFactory orchestrator = WorkerFactory.newInstance(client);
            orchestrator.newWorker(Queues.CPU).registerWorkflowImplementationTypes(
                    dev.mona.workflows.TransferWorkflowImpl.class);
            orchestrator.start();
            try {
                TransferProgress p = Progress.query(client, id, "progress", TransferProgress.class,
                        Duration.ofSeconds(10)).orElseThrow();
                assertEquals(id, p.workflowId());
            } finally {
                orchestrator.shutdownNow();
                client.getWorkflowServiceStubs().shutdownNow();
            }
        }
    }
}
