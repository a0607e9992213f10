package dev.mona.workflows.stage;

import java.util.Map;

/** Input of {@link DataActivities#fetchData}. */
public record FetchRequest(String runId, String task, long seed, Map<String, String> overrides, boolean noCache) {
}
