package dev.mona.activities;

import dev.mona.workflows.SweepRow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A sweep's rows summarised per task and method over seeds: what the figures draw and the report's table shows.
 * The sweep is a full grid (every task x method x seed), so a cell expects every seed of the sweep; a seed whose run
 * failed counts as failed, one with no row or a completed row without the value counts as missing: nothing is
 * dropped without a count.
 */
public final class SweepSummary {
    private SweepSummary() {}

    /**
     * One task and method over the sweep's seeds.
     *
     * @param task     target task
     * @param method   method label
     * @param metric   the task's metric name, empty when no run of the task completed
     * @param n        completed seeds that have the value
     * @param mean     mean over those seeds, {@code null} when n is 0
     * @param sd       sample standard deviation (n - 1 in the denominator), {@code null} when n is under 2
     * @param failed   seeds whose run failed
     * @param missing  seeds with no row, or a completed row without the value
     * @param expected seeds of the sweep
     */
    public record Cell(String task, String method, String metric, int n, Double mean, Double sd, int failed,
                       int missing, int expected) {
        /** The error bar's half-height: the sd, 0 where it is undefined (fewer than two seeds). */
        public double errorBar() {
            return sd == null ? 0 : sd;
        }
    }

    /** The test metric per task and method. */
    public static List<Cell> testMetric(List<SweepRow> rows) {
        return cells(rows, SweepRow::testMetric);
    }

    /** The linear-probe error (%) of the pretrained encoder per task and method. */
    public static List<Cell> probeBefore(List<SweepRow> rows) {
        return cells(rows, SweepRow::probeErrorBefore);
    }

    /** The linear-probe error (%) after fine-tuning per task and method. */
    public static List<Cell> probeAfter(List<SweepRow> rows) {
        return cells(rows, SweepRow::probeErrorAfter);
    }

    /** Tasks in the order the rows first name them (the sweep's request order). */
    public static List<String> tasks(List<SweepRow> rows) {
        return List.copyOf(rows.stream().map(SweepRow::task).collect(java.util.stream.Collectors
                .toCollection(LinkedHashSet::new)));
    }

    /** Methods in the order the rows first name them. */
    public static List<String> methods(List<SweepRow> rows) {
        return List.copyOf(rows.stream().map(SweepRow::method).collect(java.util.stream.Collectors
                .toCollection(LinkedHashSet::new)));
    }

    /** Completed runs, failed runs, and grid points (task x method x seed) without a row. */
    public record Counts(int completed, int failed, int missing) {}

    public static Counts counts(List<SweepRow> rows) {
        int completed = (int) rows.stream().filter(SweepSummary::completed).count();
        int seeds = (int) rows.stream().map(SweepRow::seed).distinct().count();
        return new Counts(completed, rows.size() - completed, tasks(rows).size() * methods(rows).size() * seeds
                - rows.size());
    }

    private static List<Cell> cells(List<SweepRow> rows, Function<SweepRow, Double> value) {
        Set<Long> seeds = new LinkedHashSet<>(rows.stream().map(SweepRow::seed).toList());
        List<Cell> out = new ArrayList<>();
        for (String task : tasks(rows)) {
            String metric = rows.stream().filter(r -> r.task().equals(task) && completed(r))
                    .map(SweepRow::metricName).findFirst().orElse("");
            for (String method : methods(rows)) {
                List<SweepRow> cell = rows.stream().filter(r -> r.task().equals(task) && r.method().equals(method))
                        .toList();
                int failed = (int) cell.stream().filter(r -> !completed(r)).count();
                double[] xs = cell.stream().filter(SweepSummary::completed).map(value)
                        .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
                int n = xs.length;
                Double mean = n == 0 ? null : java.util.Arrays.stream(xs).sum() / n;
                Double sd = null;
                if (n >= 2) {
                    double ss = 0;
                    for (double x : xs) ss += (x - mean) * (x - mean);
                    sd = Math.sqrt(ss / (n - 1));
                }
                out.add(new Cell(task, method, metric, n, mean, sd, failed, seeds.size() - n - failed, seeds.size()));
            }
        }
        return out;
    }

    static boolean completed(SweepRow r) {
        return "completed".equals(r.status());
    }
}
