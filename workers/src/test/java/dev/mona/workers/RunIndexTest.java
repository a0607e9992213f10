package dev.mona.workers;

import dev.mona.workflows.Queues;
import dev.mona.workflows.RunIndex;
import dev.mona.workflows.TransferProgress;
import dev.mona.workflows.TransferWorkflowImpl;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs are findable with Temporal's own client on the port-bound test server: memo, search attributes and summary
 * recorded on the execution; a server without mona's search attributes still starts the run, with its memo.
 */
class RunIndexTest {
    private static final TransferRequest RUN = new TransferRequest("offline-pde-darcy", TransferMethod.MONA, 3, "",
            Map.of("epochs", "2"), false, null);

    @Test
    void aRunCarriesMemoSearchAttributesAndSummary() throws InterruptedException {
        try (Server s = new Server()) {
            assertTrue(SearchAttributeSetup.ensure(s.client));
            assertTrue(SearchAttributeSetup.ensure(s.client), "registering again is harmless");
            Submissions.Submission sub = Submissions.transfer(s.client, RUN);
            assertTrue(sub.indexed());
            TransferRequest other = new TransferRequest("offline-dna", TransferMethod.FT, 3, "", Map.of(), false, null);
            Submissions.transfer(s.client, other);

            // list with the client: the visibility query where the server has one, else every open run described
            List<String> byTask;
            try {
                byTask = s.client.getWorkflowServiceStubs().blockingStub().listWorkflowExecutions(
                        ListWorkflowExecutionsRequest.newBuilder().setNamespace("default")
                                .setQuery("MonaTask = 'offline-pde-darcy' AND MonaSeed = 3").build())
                        .getExecutionsList().stream().map(i -> i.getExecution().getWorkflowId()).toList();
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode(), e.toString());
                byTask = s.client.getWorkflowServiceStubs().blockingStub().listOpenWorkflowExecutions(
                                ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace("default")
                                        .setTypeFilter(WorkflowTypeFilter.newBuilder().setName("TransferWorkflow"))
                                        .build())
                        .getExecutionsList().stream().map(i -> i.getExecution().getWorkflowId())
                        .filter(id -> "offline-pde-darcy".equals(memo(s.describe(id).getWorkflowExecutionInfo(),
                                RunIndex.MEMO_TASK)))
                        .toList();
            }
            assertEquals(List.of(RUN.workflowId()), byTask);

            DescribeWorkflowExecutionResponse d = s.describe(RUN.workflowId());
            WorkflowExecutionInfo info = d.getWorkflowExecutionInfo();
            assertEquals("MONA".toLowerCase(), memo(info, RunIndex.MEMO_METHOD));
            assertEquals(3L, ((Number) DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                    info.getMemo().getFieldsOrThrow(RunIndex.MEMO_SEED), Long.class, Long.class)).longValue());
            assertEquals("", memo(info, RunIndex.MEMO_SWEEP));
            assertEquals(10, memo(info, RunIndex.MEMO_CONFIG_DIGEST).length());
            Map<String, Payload> attributes = info.getSearchAttributes().getIndexedFieldsMap();
            assertEquals("offline-pde-darcy", decode(attributes.get("MonaTask")));
            assertEquals("mona", decode(attributes.get("MonaMethod")));
            assertEquals("pending", decode(attributes.get("MonaStage")));
            assertTrue(attributes.containsKey("MonaSeed"));
            // an orchestrator takes the run to its first stage (no activity worker: it stays there) and says so
            s.orchestrate();
            long deadline = System.nanoTime() + 20_000_000_000L;
            String stage = "pending";
            while (!stage.equals("fetch") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                stage = decode(s.describe(RUN.workflowId()).getWorkflowExecutionInfo().getSearchAttributes()
                        .getIndexedFieldsMap().get("MonaStage"));
            }
            assertEquals("fetch", stage);
            String summary = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                    d.getExecutionConfig().getUserMetadata().getSummary(), String.class, String.class);
            assertEquals("offline-pde-darcy mona seed 3, 1 override (epochs=2)", summary);
        }
    }

    @Test
    void withoutTheAttributesARunStartsWithItsMemo() {
        try (Server s = new Server()) {
            Submissions.Submission sub = Submissions.transfer(s.client, RUN, false);
            assertFalse(sub.indexed());
            assertFalse(sub.attached());
            s.orchestrate();
            // the workflow upserts nothing: its tasks succeed and the query answers
            TransferProgress p = Progress.query(s.client, RUN.workflowId(), "progress", TransferProgress.class,
                    Duration.ofSeconds(20)).orElseThrow();
            assertEquals(RUN.workflowId(), p.workflowId());
            assertEquals("fetch", p.stage());
            WorkflowExecutionInfo info = s.describe(RUN.workflowId()).getWorkflowExecutionInfo();
            assertEquals("WORKFLOW_EXECUTION_STATUS_RUNNING", info.getStatus().name());
            assertEquals("offline-pde-darcy", memo(info, RunIndex.MEMO_TASK));
            assertFalse(info.getSearchAttributes().getIndexedFieldsMap().containsKey("MonaTask"));
            assertTrue(Submissions.transfer(s.client, RUN).attached());
            assertEquals(List.of(), List.copyOf(s.describe(RUN.workflowId()).getPendingActivitiesList().stream()
                    .filter(a -> a.getAttempt() > 1).toList()));
        }
    }

    private static String memo(WorkflowExecutionInfo info, String key) {
        return Optional.ofNullable(info.getMemo().getFieldsMap().get(key)).map(RunIndexTest::decode).orElse(null);
    }

    private static String decode(Payload p) {
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class);
    }

    /** A port-bound test server and a client, without workers: starts are recorded, nothing runs. */
    private static final class Server implements AutoCloseable {
        final LoopbackTemporal server;
        final WorkflowClient client;

        Server() {
            server = LoopbackTemporal.start(0, "a free port");
            client = TemporalConnection.connect(server.address(), "default");
        }

        private WorkerFactory workers;

        /** An orchestrator with the workflows only: a run reaches its first stage and waits there. */
        void orchestrate() {
            workers = WorkerFactory.newInstance(client);
            workers.newWorker(Queues.CPU).registerWorkflowImplementationTypes(TransferWorkflowImpl.class);
            workers.start();
        }

        DescribeWorkflowExecutionResponse describe(String id) {
            return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());
        }

        @Override
        public void close() {
            if (workers != null) {
                workers.shutdownNow();
            }
            client.getWorkflowServiceStubs().shutdownNow();
            server.close();
        }
    }
}
