package dev.mona.core.metric;

import dev.mona.core.data.HostTensor;

/**
 * Scores a split: its model outputs against its targets, under the task's evaluation protocol (for most tasks the
 * metric alone; see {@code LoadedTask#scorer} for the ones that decode, group or crop first).
 */
@FunctionalInterface
public interface Scorer {
    /** The metric value (lower is better) of {@code prediction} against {@code target}, rows aligned. */
    double score(HostTensor prediction, HostTensor target);

    /** The metric alone, row by row. */
    static Scorer of(MetricKind metric) {
        return (prediction, target) -> Metrics.score(metric, prediction, target);
    }
}
