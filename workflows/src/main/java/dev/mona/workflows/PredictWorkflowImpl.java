package dev.mona.workflows;

import dev.mona.workflows.stage.PredictActivities;
import dev.mona.workflows.stage.PredictManifestRequest;
import dev.mona.workflows.stage.PredictPlan;
import dev.mona.workflows.stage.PredictPlanRequest;
import dev.mona.workflows.stage.PredictShard;
import dev.mona.workflows.stage.PredictShardRequest;
import dev.mona.workflows.stage.PredictShardResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

import java.util.ArrayList;
import java.util.List;

/**
 * The shards of a prediction job run concurrently, as many at a time as the GPU workers have slots; Temporal
 * records each finished shard, so a retry or a worker loss repeats only the shards that had not finished.
 */
public class PredictWorkflowImpl implements PredictWorkflow {
    @Override
    public PredictResult run(PredictRequest r) {
        String jobId = Workflow.getInfo().getWorkflowId();
        RetryTuning tuning = RetryTuning.orDefault(r.tuning());
        PredictActivities cpu = Workflow.newActivityStub(PredictActivities.class, StageOptions.cpu(tuning));
        PredictActivities gpu = Workflow.newActivityStub(PredictActivities.class, StageOptions.gpu(tuning));
        PredictPlan plan = cpu.planPrediction(new PredictPlanRequest(jobId, r));
        List<Promise<PredictShardResult>> shards = new ArrayList<>();
        for (PredictShard s : plan.shards()) {
            shards.add(Async.function(gpu::predictShard, new PredictShardRequest(plan.model(), s, r.batch())));
        }
        List<PredictShardResult> results = new ArrayList<>();
        for (Promise<PredictShardResult> p : shards) {
            results.add(p.get());
        }
        String manifest = cpu.writePredictionManifest(new PredictManifestRequest(r, plan, results));
        long rows = results.stream().mapToLong(PredictShardResult::rows).sum();
        int reused = (int) results.stream().filter(PredictShardResult::reused).count();
        return new PredictResult(r.runId(), manifest, plan.shards().stream().map(PredictShard::outputKey).toList(),
                rows, reused);
    }
}
