package dev.mona.workflows.stage;

import java.util.Map;

/** Input of {@link TrainingActivities#linearProbe}. */
public record ProbeRequest(String runId, SourceRef source, FineTuneResult fineTuned, long seed,
                           Map<String, String> overrides, boolean noCache, String task) {
}
