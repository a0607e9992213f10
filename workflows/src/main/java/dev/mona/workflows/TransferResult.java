package dev.mona.workflows;

import java.util.List;
import java.util.Map;

/**
 * Outcome of a transfer run.
 *
 * @param runId            the run's id (= workflow id); its artifacts live under {@code runs/<runId>/}
 * @param task             target task
 * @param method           transfer method
 * @param seed             seed
 * @param metricName       reported metric (lower is better)
 * @param validationMetric metric on the validation split
 * @param testMetric       metric on the test split
 * @param probeErrorBefore linear-probe error (%) of the pretrained encoder
 * @param probeErrorAfter  linear-probe error (%) after fine-tuning
 * @param epochs           fine-tuning epochs
 * @param artifacts        artifact keys by name ({@code manifest}, {@code summary}, {@code checkpoint}, {@code onnx}, ...)
 * @param cachedStages     stages reused from the stage cache
 * @param resumedFrom      epochs the fine-tune resumed from after an interruption
 * @param implementations  what computed each stage (stage name to implementation)
 */
public record TransferResult(String runId, String task, TransferMethod method, long seed, String metricName,
                             double validationMetric, double testMetric, double probeErrorBefore,
                             double probeErrorAfter, int epochs, Map<String, String> artifacts,
                             List<String> cachedStages, List<Integer> resumedFrom,
                             Map<String, String> implementations) {
}
