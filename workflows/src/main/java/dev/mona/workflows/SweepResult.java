package dev.mona.workflows;

import java.util.List;

/**
 * Outcome of a sweep.
 *
 * @param sweepId   sweep id; its table and plots live under {@code sweeps/<sweepId>/}
 * @param rows      one row per child run
 * @param csvKey    key of {@code results.csv}
 * @param jsonKey   key of {@code results.json}
 * @param plotKeys  keys of the PNG plots
 */
public record SweepResult(String sweepId, List<SweepRow> rows, String csvKey, String jsonKey, List<String> plotKeys) {
    public long failed() {
        return rows.stream().filter(r -> !"completed".equals(r.status())).count();
    }
}
