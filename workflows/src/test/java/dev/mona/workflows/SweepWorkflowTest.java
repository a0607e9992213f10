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

    @Test
    void finishedAndRunningIdenticalRunsAreReused(TestWorkflowEnvironment env, Worker worker) throws Exception {
        Worker cpu = env.newWorker(Queues.CPU);
        cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, TransferWorkflowImpl.class);
        cpu.registerActivitiesImplementations(stages, new AttachActivitiesImpl(env.getWorkflowClient()));
        env.newWorker(Queues.GPU).registerActivitiesImplementations(stages);
        env.start();
        SweepRequest r = new SweepRequest("reuse", List.of("a"), List.of(0L, 1L), List.of(TransferMethod.FT), "",
                Map.of("epochs", "1"), 2, false, null);
        TransferRequest finished = r.runs().get(0);
        TransferRequest running = r.runs().get(1);
        TransferResult first = transferStub(env, finished).run(finished);
        stages.fineTuneMillis = 1500;
        io.temporal.client.WorkflowClient.start(transferStub(env, running)::run, running);
        SweepResult res = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(Queues.CPU).setWorkflowId(r.workflowId()).build()).run(r);

        assertEquals(0, res.failed(), res.rows().toString());
        assertEquals(List.of(finished.workflowId(), running.workflowId()),
                res.rows().stream().map(SweepRow::runId).toList());
        assertEquals(first.testMetric(), res.rows().get(0).testMetric());
        assertEquals(2, stages.calls.stream().filter(c -> c.startsWith("finetune:")).count(),
                "each run trained once: " + stages.calls);
        WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(r.workflowId()),
                SweepWorkflowImpl.class);
    }

    @Test
    void aFailedReusedRunGivesItsCause(TestWorkflowEnvironment env, Worker worker) throws Exception {
        Worker cpu = env.newWorker(Queues.CPU);
        cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, TransferWorkflowImpl.class);
        cpu.registerActivitiesImplementations(stages, new AttachActivitiesImpl(env.getWorkflowClient()));
        env.newWorker(Queues.GPU).registerActivitiesImplementations(stages);
        env.start();
        stages.fineTuneMillis = 1000;
        SweepRequest r = new SweepRequest("attach-failed", List.of("a"), List.of(0L), List.of(TransferMethod.FT), "",
                Map.of(), 1, false, null);
        // a running run under the child's id: the sweep attaches, the run fails, the row says why
        TransferRequest run = r.runs().get(0);
        stages.failFineTune = true;
        io.temporal.client.WorkflowClient.start(transferStub(env, run)::run, run);
        SweepResult res = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(Queues.CPU).setWorkflowId(r.workflowId()).build()).run(r);
        assertEquals(1, res.failed());
        assertTrue(res.rows().get(0).message().contains("fine-tune exploded"), res.rows().get(0).message());
    }

    private static TransferWorkflow transferStub(TestWorkflowEnvironment env, TransferRequest r) {
        return env.getWorkflowClient().newWorkflowStub(TransferWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(Queues.CPU).setWorkflowId(r.workflowId()).build());
    }

    @Test
    void anIndexedSweepGivesItsRunsMemoAndSearchAttributesAndReplays(TestWorkflowEnvironment env, Worker worker)
            throws Exception {
        for (io.temporal.common.SearchAttributeKey<?> k : RunIndex.KEYS) {
            env.registerSearchAttribute(k.getName(), k.getValueType());
        }
        Worker cpu = env.newWorker(Queues.CPU);
        cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, TransferWorkflowImpl.class);
        cpu.registerActivitiesImplementations(stages);
        env.newWorker(Queues.GPU).registerActivitiesImplementations(stages);
        env.start();
        SweepRequest r = new SweepRequest("idx", List.of("a"), List.of(5L), List.of(TransferMethod.EMB), "",
                Map.of(), 1, false, null);
        String sweepId = r.workflowId();
        SweepWorkflow wf = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(Queues.CPU).setWorkflowId(sweepId).setMemo(RunIndex.memo(r))
                .setTypedSearchAttributes(RunIndex.attributes(sweepId)).build());
        assertEquals(0, wf.run(r).failed());

        String child = r.runs().get(0).workflowId();
        var info = env.getWorkflowClient().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(env.getNamespace()).setExecution(io.temporal.api.common.v1.WorkflowExecution
                                .newBuilder().setWorkflowId(child)).build()).getWorkflowExecutionInfo();
        var converter = io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE;
        assertEquals(sweepId, converter.fromPayload(info.getMemo().getFieldsOrThrow(RunIndex.MEMO_SWEEP),
                String.class, String.class));
        var attributes = info.getSearchAttributes().getIndexedFieldsMap();
        assertEquals(sweepId, converter.fromPayload(attributes.get("MonaSweep"), String.class, String.class));
        assertEquals("done", converter.fromPayload(attributes.get("MonaStage"), String.class, String.class),
                "the run's stage attribute follows it to the end");

        WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(sweepId),
                SweepWorkflowImpl.class);
        WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(child),
                TransferWorkflowImpl.class);
    }
}
