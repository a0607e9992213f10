package dev.mona.workflows;

import dev.mona.workflows.stage.PredictActivities;
import dev.mona.workflows.stage.PredictManifestRequest;
import dev.mona.workflows.stage.PredictModel;
import dev.mona.workflows.stage.PredictPlan;
import dev.mona.workflows.stage.PredictPlanRequest;
import dev.mona.workflows.stage.PredictShard;
import dev.mona.workflows.stage.PredictShardRequest;
import dev.mona.workflows.stage.PredictShardResult;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The prediction job's plumbing with stub stages: planning and the manifest on the CPU queue, the shards on the GPU
 * queue, a failed shard attempt retried alone, the outputs in input order whatever order the shards finish in; its
 * history replays.
 */
class PredictWorkflowTest {
    @RegisterExtension
    static final TestWorkflowExtension ENV = TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

    /** Records the queue of every call; the first attempt of shard 1 fails, shard 0 finishes last. */
    static final class Stages implements PredictActivities {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public PredictPlan planPrediction(PredictPlanRequest r) {
            calls.add("plan@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
            List<PredictShard> shards = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                shards.add(new PredictShard(i, r.request().inputPrefix() + "part-" + i + ".npy", "",
                        "predictions/" + r.jobId() + "/shards/0000" + i + ".npy",
                        "predictions/" + r.jobId() + "/shards/0000" + i + ".json"));
            }
            return new PredictPlan(r.jobId(), new PredictModel(r.request().runId(), "waves@0123456789",
                    "runs/x/export/model.onnx", "ab".repeat(32), new float[]{0.5f}, new float[]{2f}), shards,
                    "predictions/" + r.jobId() + "/manifest.json");
        }

        @Override
        public PredictShardResult predictShard(PredictShardRequest r) {
            int attempt = Activity.getExecutionContext().getInfo().getAttempt();
            calls.add("shard" + r.shard().index() + "#" + attempt + "@"
                    + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
            if (r.shard().index() == 1 && attempt == 1) {
                throw new IllegalStateException("worker lost");
            }
            if (r.shard().index() == 0) {
                try {
                    Thread.sleep(300); // finishes after the others
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            assertEquals(0.5f, r.model().mean()[0]);
            return new PredictShardResult(r.shard().index(), "in" + r.shard().index(), 10 + r.shard().index(),
                    "out" + r.shard().index(), false);
        }

        @Override
        public String writePredictionManifest(PredictManifestRequest r) {
            calls.add("manifest@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
            assertEquals(List.of(0, 1, 2), r.shards().stream().map(PredictShardResult::index).toList());
            return r.plan().manifestKey();
        }
    }

    @Test
    void shardsRunOnTheGpuQueueInAnyOrderAndTheResultKeepsInputOrder(TestWorkflowEnvironment env) throws Exception {
        Stages stages = new Stages();
        Worker cpu = env.newWorker(Queues.CPU);
        cpu.registerWorkflowImplementationTypes(PredictWorkflowImpl.class);
        cpu.registerActivitiesImplementations(stages);
        env.newWorker(Queues.GPU).registerActivitiesImplementations(stages);
        env.start();
        PredictRequest r = new PredictRequest("transfer-waves-ft-s0-0123456789", "s3://mona/in/", null, 8,
                new RetryTuning(60, 10, 1, 3, 10));
        PredictWorkflow wf = env.getWorkflowClient().newWorkflowStub(PredictWorkflow.class, WorkflowOptions
                .newBuilder().setTaskQueue(Queues.CPU).setWorkflowId(r.workflowId()).build());
        PredictResult res = wf.run(r);

        String out = "predictions/" + r.workflowId() + "/shards/0000";
        assertEquals(List.of(out + "0.npy", out + "1.npy", out + "2.npy"), res.outputKeys());
        assertEquals(33, res.rows());
        assertEquals("predictions/" + r.workflowId() + "/manifest.json", res.manifestKey());
        assertEquals("plan@mona-cpu", stages.calls.get(0));
        assertEquals("manifest@mona-cpu", stages.calls.get(stages.calls.size() - 1));
        // the lost attempt of shard 1 is retried; no other shard runs twice
        assertEquals(List.of("shard0#1@mona-gpu", "shard1#1@mona-gpu", "shard1#2@mona-gpu", "shard2#1@mona-gpu"),
                stages.calls.stream().filter(c -> c.startsWith("shard")).sorted().toList());
        WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(r.workflowId()),
                PredictWorkflowImpl.class);

        // the id names the run, the inputs and the array, not the batch size or the tuning
        assertEquals(r.workflowId(), new PredictRequest(r.runId(), r.inputPrefix(), "", 64, null).workflowId());
        assertNotEquals(r.workflowId(), new PredictRequest(r.runId(), "s3://mona/other/", "", 8, null).workflowId());
    }
}
