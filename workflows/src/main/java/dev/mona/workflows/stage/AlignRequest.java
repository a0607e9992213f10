package dev.mona.workflows.stage;

import dev.mona.workflows.TransferMethod;

import java.util.Map;

/** Input of {@link TrainingActivities#alignEmbedder}. */
public record AlignRequest(String runId, TransferMethod method, DatasetRef dataset, SourceRef source, long seed,
                           Map<String, String> overrides, boolean noCache) {
}
