package dev.mona.workflows;

import java.util.List;

/**
 * Outcome of a {@link PredictWorkflow}.
 *
 * @param runId       the run whose model predicted
 * @param manifestKey store key of the job's manifest (model digest, input digests, counts)
 * @param outputKeys  store keys of the shards' outputs (float32 npy), in input order
 * @param rows        rows predicted, all shards together
 * @param reused      shards whose output a previous attempt or job had already written (not recomputed)
 */
public record PredictResult(String runId, String manifestKey, List<String> outputKeys, long rows, int reused) {
}
