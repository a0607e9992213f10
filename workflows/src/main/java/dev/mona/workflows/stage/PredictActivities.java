package dev.mona.workflows.stage;

import io.temporal.activity.ActivityInterface;

/**
 * The stages of a prediction job: planning and the manifest on the orchestrator ({@link dev.mona.workflows.Queues#CPU}),
 * the shards on the GPU workers ({@link dev.mona.workflows.Queues#GPU}).
 */
@ActivityInterface
public interface PredictActivities {
    /** Checks the run and the inputs, fits nothing new: the model, its input normalisation and one shard per file. */
    PredictPlan planPrediction(PredictPlanRequest request);

    /**
     * Predicts one shard and writes its output and record; a shard whose record already names the same input and
     * model is returned as it is, not computed again. Heartbeats the rows done.
     */
    PredictShardResult predictShard(PredictShardRequest request);

    /** Writes the job's manifest next to the outputs; returns its key. */
    String writePredictionManifest(PredictManifestRequest request);
}
