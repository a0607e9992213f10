package dev.mona.workflows.stage;

import dev.mona.workflows.TransferMethod;

import java.util.Map;

/** Input of {@link TrainingActivities#fineTune}. */
public record FineTuneRequest(String runId, TransferMethod method, DatasetRef dataset, SourceRef source,
                              AlignResult aligned, long seed, Map<String, String> overrides, boolean noCache) {
}
