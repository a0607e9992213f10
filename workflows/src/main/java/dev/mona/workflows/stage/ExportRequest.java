package dev.mona.workflows.stage;

import dev.mona.workflows.TransferMethod;

import java.util.Map;

/**
 * Input of {@link DataActivities#exportModel}.
 *
 * @param seed      the run's seed (recorded in the ONNX metadata)
 * @param overrides the run's configuration overrides (its resolved configuration goes into the ONNX metadata)
 */
public record ExportRequest(String runId, DatasetRef dataset, FineTuneResult fineTuned, boolean noCache,
                            SourceRef source, TransferMethod method, long seed, Map<String, String> overrides) {
}
