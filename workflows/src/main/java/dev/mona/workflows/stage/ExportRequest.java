package dev.mona.workflows.stage;

import dev.mona.workflows.TransferMethod;

/** Input of {@link DataActivities#exportModel}. */
public record ExportRequest(String runId, DatasetRef dataset, FineTuneResult fineTuned, boolean noCache,
                            SourceRef source, TransferMethod method) {
}
