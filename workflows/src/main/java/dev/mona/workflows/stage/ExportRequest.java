package dev.mona.workflows.stage;

/** Input of {@link DataActivities#exportModel}. */
public record ExportRequest(String runId, DatasetRef dataset, FineTuneResult fineTuned, boolean noCache) {
}
