package dev.mona.workflows.stage;

import java.util.Map;

/** Input of {@link DataActivities#prepareSource}: the source encoder for a task's modality. */
public record SourceRequest(String runId, String source, DatasetRef dataset, long seed, Map<String, String> overrides,
                            boolean noCache) {
}
