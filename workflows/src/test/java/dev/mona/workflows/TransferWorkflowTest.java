package dev.mona.workflows;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TransferWorkflowTest {
    private final StubStages stages = new StubStages();

    @RegisterExtension
    static final TestWorkflowExtension ENV = TestWorkflowExtension.newBuilder()
            .setDoNotStart(true)
            .build();

    private TransferWorkflow start(TestWorkflowEnvironment env, Worker ignored, TransferRequest r) {
        Worker cpu = env.newWorker(Queues.CPU);
        cpu.registerWorkflowImplementationTypes(TransferWorkflowImpl.class);
        cpu.registerActivitiesImplementations(stages);
        env.newWorker(Queues.GPU).registerActivitiesImplementations(stages);
        env.start();
        return env.getWorkflowClient().newWorkflowStub(TransferWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(Queues.CPU).setWorkflowId(r.workflowId()).build());
    }

    @Test
    void monaRunsEveryStageInOrderAndReplays(TestWorkflowEnvironment env, Worker worker) throws Exception {
        TransferRequest r = new TransferRequest("offline-digits", TransferMethod.MONA, 7, "", Map.of("epochs", "3"),
                false, null);
        TransferWorkflow wf = start(env, worker, r);
        TransferResult res = wf.run(r);
        assertEquals(List.of("fetch:offline-digits", "source", "align:MONA",
                "finetune:MONA:runs/" + r.workflowId() + "/embedder/state.bin", "probe", "export", "manifest"),
                List.copyOf(stages.calls));
        assertEquals(20.0, res.testMetric(), 1e-12);
        assertEquals("runs/" + r.workflowId() + "/manifest.json", res.artifacts().get("manifest"));
        assertEquals(r.workflowId(), res.runId());

        WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(r.workflowId());
        WorkflowReplayer.replayWorkflowExecution(history, TransferWorkflowImpl.class);
    }

    @Test
    void fineTuningSkipsAlignment(TestWorkflowEnvironment env, Worker worker) {
        TransferRequest r = new TransferRequest("offline-digits", TransferMethod.FT, 1, "", Map.of(), false, null);
        TransferResult res = start(env, worker, r).run(r);
        assertTrue(stages.calls.stream().noneMatch(c -> c.startsWith("align")), stages.calls.toString());
        assertTrue(stages.calls.contains("finetune:FT:-"));
        assertFalse(res.artifacts().containsKey("embedder"));
        WorkflowStub untyped = env.getWorkflowClient().newUntypedWorkflowStub(r.workflowId());
        TransferProgress p = untyped.query("progress", TransferProgress.class);
        assertEquals("done", p.stage());
        assertEquals(List.of("fetch", "source", "finetune", "probe", "export", "manifest"), p.stagesDone());
    }

    @Test
    void badInputFailsWithoutRetry(TestWorkflowEnvironment env, Worker worker) {
        stages.failTasks.put("no-such-task", true);
        TransferRequest r = new TransferRequest("no-such-task", TransferMethod.FT, 1, "", Map.of(), false, null);
        TransferWorkflow wf = start(env, worker, r);
        io.temporal.client.WorkflowFailedException e = assertThrows(io.temporal.client.WorkflowFailedException.class,
                () -> wf.run(r));
        assertEquals(1, stages.calls.stream().filter(c -> c.startsWith("fetch")).count(), "non-retryable: one try");
        assertTrue(SweepWorkflowImpl.rootMessage(e).contains("unknown task 'no-such-task'"), SweepWorkflowImpl.rootMessage(e));
        assertTrue(FailureMessages.isUserError(e), "a user error through the activity and workflow failures");
    }

    @Test
    void idsDependOnWhatIsComputedOnly() {
        TransferRequest a = new TransferRequest("t", TransferMethod.FT, 1, "", Map.of("lr", "1e-3"), false, null);
        TransferRequest b = new TransferRequest("t", TransferMethod.FT, 1, null, Map.of("lr", "1e-3"), true,
                RetryTuning.DEFAULT);
        TransferRequest c = new TransferRequest("t", TransferMethod.FT, 1, "", Map.of("lr", "1e-4"), false, null);
        assertEquals(a.workflowId(), b.workflowId());
        assertNotEquals(a.workflowId(), c.workflowId());
        assertTrue(a.workflowId().startsWith("transfer-t-ft-s1-"), a.workflowId());
    }
}
