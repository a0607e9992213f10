package dev.mona.workflows.stage;

import dev.mona.workflows.PredictRequest;

/**
 * Input of {@link PredictActivities#planPrediction}.
 *
 * @param jobId   the prediction workflow's id (names the output folder)
 * @param request the job's request
 */
public record PredictPlanRequest(String jobId, PredictRequest request) {
}
