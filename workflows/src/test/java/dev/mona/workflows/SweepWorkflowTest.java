package dev.mona.workflows;

import io.temporal.client.WorkflowOptions;
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

class SweepWorkflowTest {
    private final StubStages stages = new StubStages();

    @RegisterExtension
    static final TestWorkflowExtension ENV = TestWorkflowExtension.newBuilder()
            .setDoNotStart(true)
            .build();

    @Test
    void slidingWindowCapsConcurrencyAndTabulatesFailures(TestWorkflowEnvironment env, Worker worker)
            throws Exception {
        stages.fineTuneMillis = 150;
        stages.failTasks.put("broken", true);
        Worker cpu = env.newWorker(Queues.CPU);
        cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, TransferWorkflowImpl.class);
        cpu.registerActivitiesImplementations(stages);
        // several GPU slots, so only the sweep's window can hold concurrency down
        env.newWorker(Queues.GPU).registerActivitiesImplementations(stages);
        env.start();
        SweepRequest r = new SweepRequest("t", List.of("a", "b", "broken"), List.of(0L, 1L),
                List.of(TransferMethod.FT, TransferMethod.MONA), "", Map.of("epochs", "1"), 2, false, null);
        SweepWorkflow wf = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(Queues.CPU).setWorkflowId(r.workflowId()).build());
        SweepResult res = wf.run(r);

        assertEquals(12, res.rows().size());
        assertEquals(4, res.failed());
        assertTrue(stages.maxInFlight.get() <= 2, "window of 2, saw " + stages.maxInFlight.get());
        assertEquals(2, stages.maxInFlight.get(), "the window should be full at some point");
        assertTrue(stages.calls.contains("table:12"));
        SweepRow bad = res.rows().stream().filter(x -> x.task().equals("broken")).findFirst().orElseThrow();
        assertEquals("failed", bad.status());
        assertTrue(bad.message().contains("unknown task 'broken'"), bad.message());
        SweepRow ok = res.rows().stream().filter(x -> x.task().equals("a") && x.seed() == 1).findFirst().orElseThrow();
        assertEquals(14.0, ok.testMetric(), 1e-12);

        WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(r.workflowId());
        WorkflowReplayer.replayWorkflowExecution(history, SweepWorkflowImpl.class);
    }
}
