package dev.mona.workflows.stage;

import dev.mona.workflows.TransferMethod;

import java.util.Map;

/**
 * Input of {@link TrainingActivities#linearProbe}, the run's analysis stage.
 *
 * @param dataset the target data (the modality discrepancy is measured on its validation split)
 * @param aligned stage 1's result, null for methods without stage 1 (FT, scratch)
 * @param method  the run's method (its fine-tuning start decides the discrepancy "before")
 */
public record ProbeRequest(String runId, SourceRef source, FineTuneResult fineTuned, long seed,
                           Map<String, String> overrides, boolean noCache, String task, DatasetRef dataset,
                           AlignResult aligned, TransferMethod method) {
}
