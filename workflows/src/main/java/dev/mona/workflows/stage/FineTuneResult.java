package dev.mona.workflows.stage;

import java.util.List;

/**
 * Stage-2 output.
 *
 * @param checkpointKey    artifact key of the final model state
 * @param digest           digest of the final model state
 * @param summaryKey       artifact key of the per-epoch {@code summary.csv}
 * @param epochs           epochs trained
 * @param metricName       reported metric (lower is better)
 * @param validationMetric metric on the validation split after the last epoch
 * @param testMetric       metric on the test split, scored once at the end
 * @param resumedFrom      first epoch of each attempt after the first (empty when never interrupted)
 * @param trainer          what computed it
 * @param cached           true when reused from the stage cache
 * @param probeWeights     the weights after each of the {@code probe.at-epochs}, ascending by epoch
 */
public record FineTuneResult(String checkpointKey, String digest, String summaryKey, int epochs, String metricName,
                             double validationMetric, double testMetric, List<Integer> resumedFrom, String trainer,
                             boolean cached, List<EpochWeights> probeWeights) {
}
