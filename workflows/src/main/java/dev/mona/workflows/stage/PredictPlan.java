package dev.mona.workflows.stage;

import java.util.List;

/**
 * Output of {@link PredictActivities#planPrediction}.
 *
 * @param jobId       the prediction workflow's id
 * @param model       the run's model and input normalisation
 * @param shards      one per input file, in key order
 * @param manifestKey where the job's manifest goes, next to the outputs
 */
public record PredictPlan(String jobId, PredictModel model, List<PredictShard> shards, String manifestKey) {
}
