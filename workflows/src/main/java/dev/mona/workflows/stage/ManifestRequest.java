package dev.mona.workflows.stage;

import dev.mona.workflows.TransferRequest;

/** Input of {@link DataActivities#writeManifest}: everything a run produced, plus its times (epoch millis). */
public record ManifestRequest(String runId, TransferRequest request, DatasetRef dataset, SourceRef source,
                              AlignResult aligned, FineTuneResult fineTuned, ProbeResult probe, ExportResult export,
                              long startedAtMillis, long finishedAtMillis) {
}
