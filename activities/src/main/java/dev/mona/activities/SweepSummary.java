package dev.mona.activities;

import dev.mona.workflows.SweepRow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A sweep's rows summarised per task and method over seeds (mean, sample sd, median, 95 % interval), with the
 * validation metric and MoNA's diagnostic ratio from the run records, and the paired differences between methods:
 * what the figures draw and the report's tables show.
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
     * @param median   median over those seeds, {@code null} when n is 0
     * @param ci       half the width of the mean's 95 % Student-t interval (n - 1 degrees of freedom),
     *                 {@code null} when n is under 2
     * @param failed   seeds whose run failed
     * @param missing  seeds with no row, or a completed row without the value
     * @param expected seeds of the sweep
     */
    public record Cell(String task, String method, String metric, int n, Double mean, Double sd, Double median,
                       Double ci, int failed, int missing, int expected) {
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

    /**
     * The validation metric that selected each run's fine-tuned model (its best epoch), per task and method; a
     * completed run without a record counts as missing.
     */
    public static List<Cell> validationMetric(List<SweepRow> rows, Map<String, RunRecord> runs) {
        return cells(rows, r -> runs.containsKey(r.runId()) ? runs.get(r.runId()).validationMetric() : null);
    }

    /**
     * MoNA's diagnostic ratio |knowledge term| / |direct gradient|: each run's median over its stage-1 steps, then
     * over seeds (mean, sd and median of those medians); methods that do not compute it have n = 0.
     */
    public static List<Cell> gradRatio(List<SweepRow> rows, Map<String, RunRecord> runs) {
        return cells(rows, r -> runs.containsKey(r.runId()) ? runs.get(r.runId()).gradRatio() : null);
    }

    /**
     * The reference method of the paired comparisons: {@code mona} when the sweep has it, else its last method (the
     * request's order: the method under study comes last in the specs).
     */
    public static String reference(List<SweepRow> rows) {
        List<String> methods = methods(rows);
        return methods.stream().filter(m -> m.equalsIgnoreCase("mona")).findFirst()
                .orElse(methods.isEmpty() ? "" : methods.get(methods.size() - 1));
    }

    /**
     * The reference method against one other method on one task, paired by seed: the test-metric differences
     * reference - other over the seeds where both runs completed with a value.
     *
     * @param seeds the seeds paired, ascending
     * @param stats the mean difference, its 95 % interval, the paired t-test and the exact Wilcoxon test
     */
    public record Difference(String task, String method, String versus, String metric, List<Long> seeds,
                             SeedStatistics.Paired stats) {}

    /** Per task, the reference method minus each other method of the sweep; a pair with no common seed is left out. */
    public static List<Difference> paired(List<SweepRow> rows) {
        String ref = reference(rows);
        List<Difference> out = new ArrayList<>();
        for (String task : tasks(rows)) {
            Map<Long, Double> a = values(rows, task, ref);
            for (String other : methods(rows)) {
                if (other.equals(ref)) {
                    continue;
                }
                Map<Long, Double> b = values(rows, task, other);
                List<Long> seeds = a.keySet().stream().filter(b::containsKey).sorted().toList();
                if (seeds.isEmpty()) {
                    continue;
                }
                String metric = rows.stream().filter(r -> r.task().equals(task) && completed(r))
                        .map(SweepRow::metricName).findFirst().orElse("");
                out.add(new Difference(task, ref, other, metric, seeds, SeedStatistics.paired(
                        seeds.stream().mapToDouble(a::get).toArray(), seeds.stream().mapToDouble(b::get).toArray())));
            }
        }
        return out;
    }

    /** Seed to test metric of the completed runs of a task and method. */
    private static Map<Long, Double> values(List<SweepRow> rows, String task, String method) {
        Map<Long, Double> out = new java.util.HashMap<>();
        rows.stream().filter(r -> r.task().equals(task) && r.method().equals(method) && completed(r)
                && r.testMetric() != null).forEach(r -> out.put(r.seed(), r.testMetric()));
        return out;
    }

    /**
     * Everything the results report of one task and method over seeds.
     *
     * @param test       the test metric
     * @param validation the validation metric that selected the model (see {@link #validationMetric})
     * @param gradRatio  MoNA's stage-1 diagnostic ratio (see {@link #gradRatio})
     */
    public record Stats(String task, String method, String metric, Cell test, Cell validation, Cell probeBefore,
                        Cell probeAfter, Cell gradRatio) {}

    /** The stats of every task and method, in the order of {@link #testMetric}. */
    public static List<Stats> stats(List<SweepRow> rows, Map<String, RunRecord> runs) {
        List<Cell> test = testMetric(rows), val = validationMetric(rows, runs), before = probeBefore(rows),
                after = probeAfter(rows), ratio = gradRatio(rows, runs);
        List<Stats> out = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            Cell c = test.get(i);
            out.add(new Stats(c.task(), c.method(), c.metric(), c, val.get(i), before.get(i), after.get(i),
                    ratio.get(i)));
        }
        return out;
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

    /**
     * Completed runs, failed runs, and grid points (task x method x seed, over the task and method pairs that have a
     * row) without a row.
     */
    public record Counts(int completed, int failed, int missing) {}

    public static Counts counts(List<SweepRow> rows) {
        int completed = (int) rows.stream().filter(SweepSummary::completed).count();
        int seeds = (int) rows.stream().map(SweepRow::seed).distinct().count();
        int pairs = (int) rows.stream().map(r -> r.task() + "\n" + r.method()).distinct().count();
        return new Counts(completed, rows.size() - completed, pairs * seeds - rows.size());
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
                if (cell.isEmpty()) {
                    // a method that never ran on this task: one sweep runs every method on every task, but merged
                    // sweeps need not (a variant tried on one task), and such a cell is not missing runs
                    continue;
                }
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
                Double median = RunRecord.median(java.util.Arrays.stream(xs).boxed().toList());
                out.add(new Cell(task, method, metric, n, mean, sd, median, SeedStatistics.ciHalfWidth(n, sd),
                        failed, seeds.size() - n - failed, seeds.size()));
            }
        }
        return out;
    }

    static boolean completed(SweepRow r) {
        return "completed".equals(r.status());
    }
}
