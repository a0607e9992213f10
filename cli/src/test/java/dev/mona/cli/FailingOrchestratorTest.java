package dev.mona.cli;

import dev.mona.workers.EmbeddedS3;
import dev.mona.workers.LoopbackTemporal;
import dev.mona.workers.TemporalConnection;
import dev.mona.workflows.Queues;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferProgress;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferResult;
import dev.mona.workflows.TransferWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run whose orchestrator fails on its workflow task (here one that cannot read the request, as a worker of another
 * mona version would) is not silently stuck: {@code status} and {@code watch} name the orchestrator's failure.
 */
class FailingOrchestratorTest {
    @TempDir
    Path tmp;

    /** What an orchestrator that cannot run the request does: its workflow code throws. */
    public static final class Unreadable implements TransferWorkflow {
        @Override
        public TransferResult run(TransferRequest request) {
            throw new IllegalStateException("cannot read the request: unknown field 'shiny'");
        }

        @Override
        public TransferProgress progress() {
            throw new IllegalStateException("cannot read the request: unknown field 'shiny'");
        }
    }

    @Test
    void statusAndWatchNameTheOrchestratorsFailure() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(tmp.resolve("s3"), 0, "test", "test-secret-123", "a free port");
             LoopbackTemporal temporal = LoopbackTemporal.start(0, "a free port")) {
            WorkflowClient client = TemporalConnection.connect(temporal.address(), "default");
            WorkerFactory workers = WorkerFactory.newInstance(client);
            workers.newWorker(Queues.CPU).registerWorkflowImplementationTypes(Unreadable.class);
            workers.start();
            try {
                TransferRequest r = new TransferRequest("offline-dna", TransferMethod.FT, 0, "", Map.of(), false,
                        null);
                WorkflowClient.start(client.newWorkflowStub(TransferWorkflow.class, WorkflowOptions.newBuilder()
                        .setWorkflowId(r.workflowId()).setTaskQueue(Queues.CPU).build())::run, r);
                Map<String, String> env = Map.of("TEMPORAL_ADDRESS", temporal.address(), "MONA_S3_ENDPOINT",
                        s3.endpoint(), "MONA_S3_ACCESS_KEY", "test", "MONA_S3_SECRET_KEY", "test-secret-123",
                        "MONA_DATA_DIR", tmp.resolve("data").toString());
                String expected = Watcher.FAILING + "cannot read the request: unknown field 'shiny'";
                Cli.Result status = null;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline) { // the first workflow task fails within a second or so
                    status = Cli.run(env, "status", r.workflowId());
                    if (status.out().contains(expected)) {
                        break;
                    }
                }
                assertEquals(ExitCodes.OK, status.code(), status.toString());
                assertTrue(status.out().contains(expected) && status.out().contains("mona --version"),
                        status.toString());
                Cli.Result watch = Cli.run(env, "watch", r.workflowId(), "--timeout", "5");
                assertEquals(ExitCodes.NOT_FINISHED, watch.code(), watch.toString());
                assertTrue(watch.err().contains(expected), watch.toString());
            } finally {
                workers.shutdownNow();
                client.getWorkflowServiceStubs().shutdownNow();
            }
        }
    }
}
