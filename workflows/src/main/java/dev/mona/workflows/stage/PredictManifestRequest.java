package dev.mona.workflows.stage;

import dev.mona.workflows.PredictRequest;

import java.util.List;

/**
 * Input of {@link PredictActivities#writePredictionManifest}.
 *
 * @param request the job's request
 * @param plan    its plan
 * @param shards  the shards' results, in input order
 */
public record PredictManifestRequest(PredictRequest request, PredictPlan plan, List<PredictShardResult> shards) {
}
