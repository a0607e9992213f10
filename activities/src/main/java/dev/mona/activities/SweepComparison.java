package dev.mona.activities;

import dev.mona.activities.SweepSummary.Cell;
import dev.mona.workflows.SweepRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Several sweeps side by side, one line per task, method and sweep: the configuration keys whose values differ
 * between the sweeps (e.g. {@code mona.alpha}, {@code mona.lambda}), the validation and test metrics over seeds and
 * MoNA's diagnostic ratio. The best sweep of each task and method is chosen on the validation metric alone, never on
 * the test metric: this is how a setting is selected (issue 16's alpha/lambda study).
 */
public final class SweepComparison {
    private SweepComparison() {}

    /** One stored sweep: its id, its rows, and the records of its completed runs. */
    public record Sweep(String id, List<SweepRow> rows, Map<String, RunRecord> runs) {}

    /**
     * One task and method in one sweep.
     *
     * @param config     the differing keys' values in this sweep's runs (empty text where no run records it)
     * @param validation the validation metric over seeds (mean, sd, 95 % interval)
     * @param test       the test metric over seeds
     * @param gradRatio  the per-run stage-1 median of MoNA's ratio, over seeds
     * @param best       the lowest mean validation metric of the task and method over the sweeps
     */
    public record Line(String task, String method, String sweep, Map<String, String> config, Cell validation,
                       Cell test, Cell gradRatio, boolean best) {}

    /** The comparison: the sweeps in the order given, the keys that differ, and the lines grouped by task. */
    public record Comparison(List<String> sweeps, List<String> differingKeys, List<Line> lines) {}

    public static Comparison compare(List<Sweep> sweeps) {
        Set<String> tasks = new LinkedHashSet<>(), methods = new LinkedHashSet<>();
        sweeps.forEach(s -> {
            tasks.addAll(SweepSummary.tasks(s.rows()));
            methods.addAll(SweepSummary.methods(s.rows()));
        });
        // a key differs when two sweeps ran the same task and method with different values of it
        Set<String> differing = new TreeSet<>();
        for (String task : tasks) {
            for (String method : methods) {
                List<Map<String, String>> configs = sweeps.stream().map(s -> config(s, task, method))
                        .filter(Objects::nonNull).toList();
                Set<String> keys = new TreeSet<>();
                configs.forEach(c -> keys.addAll(c.keySet()));
                for (String k : keys) {
                    if (configs.stream().map(c -> c.getOrDefault(k, "")).distinct().count() > 1) {
                        differing.add(k);
                    }
                }
            }
        }
        List<Line> lines = new ArrayList<>();
        for (String task : tasks) {
            for (String method : methods) {
                List<Line> group = new ArrayList<>();
                for (Sweep s : sweeps) {
                    Cell test = find(SweepSummary.testMetric(s.rows()), task, method);
                    if (test == null) {
                        continue; // this sweep did not run the task and method
                    }
                    Map<String, String> all = config(s, task, method);
                    Map<String, String> config = new LinkedHashMap<>();
                    differing.forEach(k -> config.put(k, all == null ? "" : all.getOrDefault(k, "")));
                    group.add(new Line(task, method, s.id(), config,
                            find(SweepSummary.validationMetric(s.rows(), s.runs()), task, method), test,
                            find(SweepSummary.gradRatio(s.rows(), s.runs()), task, method), false));
                }
                Line best = group.stream().filter(l -> l.validation().mean() != null)
                        .min(java.util.Comparator.comparingDouble(l -> l.validation().mean())).orElse(null);
                for (Line l : group) {
                    lines.add(l == best ? new Line(l.task(), l.method(), l.sweep(), l.config(), l.validation(),
                            l.test(), l.gradRatio(), true) : l);
                }
            }
        }
        return new Comparison(sweeps.stream().map(Sweep::id).toList(), List.copyOf(differing), lines);
    }

    /** The resolved configuration of the first recorded run of a task and method in a sweep; null when none. */
    private static Map<String, String> config(Sweep s, String task, String method) {
        return s.rows().stream().filter(r -> r.task().equals(task) && r.method().equals(method))
                .map(r -> s.runs().get(r.runId())).filter(Objects::nonNull).map(RunRecord::config).findFirst()
                .orElse(null);
    }

    private static Cell find(List<Cell> cells, String task, String method) {
        return cells.stream().filter(c -> c.task().equals(task) && c.method().equals(method)).findFirst()
                .orElse(null);
    }
}
