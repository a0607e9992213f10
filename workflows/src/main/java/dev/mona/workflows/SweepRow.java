package dev.mona.workflows;

/**
 * One line of a sweep's results table.
 *
 * @param task             target task
 * @param method           method label
 * @param seed             seed
 * @param runId            child run id
 * @param status           {@code completed} or {@code failed}
 * @param metricName       reported metric
 * @param testMetric       test metric ({@code null} when failed)
 * @param probeErrorBefore probe error (%) of the pretrained encoder
 * @param probeErrorAfter  probe error (%) after fine-tuning
 * @param epochs           fine-tuning epochs
 * @param message          failure message, empty when completed
 * @param source           the run's source as its request names it (empty: the task's offline source)
 */
public record SweepRow(String task, String method, long seed, String runId, String status, String metricName,
                       Double testMetric, Double probeErrorBefore, Double probeErrorAfter, int epochs,
                       String message, String source) {
    /** A row of a run on its task's offline source (the request names no source). */
    public SweepRow(String task, String method, long seed, String runId, String status, String metricName,
                    Double testMetric, Double probeErrorBefore, Double probeErrorAfter, int epochs, String message) {
        this(task, method, seed, runId, status, metricName, testMetric, probeErrorBefore, probeErrorAfter, epochs,
                message, "");
    }
}
