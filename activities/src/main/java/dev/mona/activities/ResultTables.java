package dev.mona.activities;

import dev.mona.workflows.SweepRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sweep's tables as CSV, Markdown or aligned text: its rows (one per run), the summary per task and method over
 * seeds, the paired differences between methods, and the comparison of several sweeps.
 */
public final class ResultTables {
    private ResultTables() {}

    private static final String[] HEADER = {"task", "method", "seed", "status", "metric", "test", "probe_before",
            "probe_after", "epochs", "run_id", "message"};

    private static String[] cells(SweepRow r) {
        return new String[]{r.task(), r.method(), Long.toString(r.seed()), r.status(), r.metricName(),
                fmt(r.testMetric()), fmt(r.probeErrorBefore()), fmt(r.probeErrorAfter()),
                Integer.toString(r.epochs()), r.runId(), r.message() == null ? "" : r.message()};
    }

    static String fmt(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.4g", d);
    }

    /** "0.6000 ± 0.1000", the mean alone where n is 1, empty where n is 0. */
    static String meanSd(SweepSummary.Cell c) {
        if (c.mean() == null) {
            return "";
        }
        return fmt(c.mean()) + (c.sd() == null ? "" : " ± " + fmt(c.sd()));
    }

    public static String csv(List<SweepRow> rows) {
        return runs(rows).csv();
    }

    public static String markdown(List<SweepRow> rows) {
        return runs(rows).markdown();
    }

    /** Aligned columns for a terminal (run id and message last, message shortened). */
    public static String text(List<SweepRow> rows) {
        return new Table(List.of(HEADER), rows.stream().map(r -> {
            String[] c = cells(r);
            if (c[10].length() > 80) c[10] = c[10].substring(0, 77) + "...";
            return List.of(c);
        }).toList()).text();
    }

    /** A table of text cells, written as CSV, Markdown or aligned columns. */
    public record Table(List<String> header, List<List<String>> rows) {
        public String csv() {
            StringBuilder b = new StringBuilder();
            for (List<String> line : lines()) {
                b.append(String.join(",", line.stream().map(v -> v.contains(",") || v.contains("\"")
                        || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v).toList())).append('\n');
            }
            return b.toString();
        }

        public String markdown() {
            StringBuilder b = new StringBuilder("| " + String.join(" | ", header) + " |\n|");
            b.append("---|".repeat(header.size())).append('\n');
            for (List<String> r : rows) {
                b.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")
                        .replace("\n", " ")).toList())).append(" |\n");
            }
            return b.toString();
        }

        public String text() {
            List<List<String>> all = lines();
            int[] w = new int[header.size()];
            for (List<String> c : all) for (int i = 0; i < c.size(); i++) w[i] = Math.max(w[i], c.get(i).length());
            StringBuilder b = new StringBuilder();
            for (List<String> c : all) {
                for (int i = 0; i < c.size(); i++) {
                    b.append(i == c.size() - 1 ? c.get(i) : String.format("%-" + w[i] + "s  ", c.get(i)));
                }
                b.append('\n');
            }
            return b.toString();
        }

        private List<List<String>> lines() {
            List<List<String>> all = new ArrayList<>();
            all.add(header);
            all.addAll(rows);
            return all;
        }
    }

    /** The sweep's rows, one per run. */
    static Table runs(List<SweepRow> rows) {
        return new Table(List.of(HEADER), rows.stream().map(r -> List.of(cells(r))).toList());
    }

    /** What the summary and paired tables' values are, and which test is which: printed under them. */
    public static final String NOTES = """
            Summary: mean ± sample sd over seeds (n - 1 in the denominator); 95% CI: the mean's Student-t interval \
            with n - 1 degrees of freedom; validation: the validation metric that selected the fine-tuned model (its \
            best epoch); grad_ratio: MoNA's |knowledge term| / |direct gradient|, each run's median over its stage-1 \
            steps, then the median over seeds. Every metric is lower-is-better.
            Paired: differences A - B of the test metric on the seeds where both completed (negative: A better); \
            paired t: two-sided paired t-test (n - 1 df); Wilcoxon: exact two-sided Wilcoxon signed-rank test over \
            all 2^n sign assignments, zero differences dropped (Wilcoxon's rule, counted in 'zeros'), tied |d| given \
            their mean rank.
            """;

    /**
     * Per task and method over seeds: n, failed and missing seeds, the test and validation metrics (mean ± sd and
     * the mean's 95 % interval), the probe errors and the median diagnostic ratio. {@code numeric}: one number a
     * column (for CSV), otherwise "mean ± sd" and "[low, high]" cells.
     */
    public static Table summary(List<SweepSummary.Stats> stats, boolean numeric) {
        List<String> header = numeric
                ? List.of("task", "method", "metric", "n", "failed", "missing", "test_mean", "test_sd",
                        "test_ci95_low", "test_ci95_high", "val_n", "val_mean", "val_sd", "val_ci95_low",
                        "val_ci95_high", "probe_before_mean", "probe_before_sd", "probe_after_mean", "probe_after_sd",
                        "grad_ratio_n", "grad_ratio_median", "grad_ratio_mean")
                : List.of("task", "method", "metric", "n", "failed", "missing", "test (mean ± sd)", "test 95% CI",
                        "validation (mean ± sd)", "validation 95% CI", "probe_before", "probe_after",
                        "grad_ratio (median)");
        List<List<String>> out = new ArrayList<>();
        for (SweepSummary.Stats s : stats) {
            SweepSummary.Cell t = s.test(), v = s.validation();
            List<String> common = List.of(s.task(), s.method(), s.metric(), Integer.toString(t.n()),
                    Integer.toString(t.failed()), Integer.toString(t.missing()));
            List<String> line = new ArrayList<>(common);
            if (numeric) {
                line.addAll(List.of(fmt(t.mean()), fmt(t.sd()), fmt(low(t)), fmt(high(t)), Integer.toString(v.n()),
                        fmt(v.mean()), fmt(v.sd()), fmt(low(v)), fmt(high(v)), fmt(s.probeBefore().mean()),
                        fmt(s.probeBefore().sd()), fmt(s.probeAfter().mean()), fmt(s.probeAfter().sd()),
                        Integer.toString(s.gradRatio().n()), fmt(s.gradRatio().median()),
                        fmt(s.gradRatio().mean())));
            } else {
                line.addAll(List.of(meanSd(t), interval(low(t), high(t)), meanSd(v), interval(low(v), high(v)),
                        meanSd(s.probeBefore()), meanSd(s.probeAfter()), fmt(s.gradRatio().median())));
            }
            out.add(line);
        }
        return new Table(header, out);
    }

    /** The paired differences: one line per task and pair of methods. */
    public static Table paired(List<SweepSummary.Difference> diffs) {
        List<List<String>> out = new ArrayList<>();
        for (SweepSummary.Difference d : diffs) {
            SeedStatistics.Paired p = d.stats();
            out.add(List.of(d.task(), d.method() + " - " + d.versus(), d.metric(), Integer.toString(p.n()),
                    fmt(p.mean()), fmt(p.ciLow()), fmt(p.ciHigh()), fmt(p.t()), fmt(p.tP()), fmt(p.wPlus()),
                    fmt(p.wilcoxonP()), Integer.toString(p.zeros())));
        }
        return new Table(List.of("task", "difference", "metric", "pairs", "mean_diff", "ci95_low", "ci95_high",
                "paired_t", "paired_t_p", "wilcoxon_w_plus", "wilcoxon_exact_p", "zeros"), out);
    }

    /**
     * Several sweeps: a line per task, method and sweep with the configuration keys that differ between the sweeps,
     * the validation and test metrics, the diagnostic ratio, and {@code *} on the best line of each task and method
     * by validation metric. {@code numeric} as in {@link #summary}.
     */
    public static Table comparison(SweepComparison.Comparison c, boolean numeric) {
        List<String> header = new ArrayList<>(List.of("task", "method", "sweep"));
        header.addAll(c.differingKeys());
        header.addAll(numeric
                ? List.of("n", "val_n", "val_mean", "val_ci95_low", "val_ci95_high", "test_mean", "test_ci95_low",
                        "test_ci95_high", "grad_ratio_median", "best_by_validation")
                : List.of("n", "validation (mean ± 95% CI)", "test (mean ± 95% CI)", "grad_ratio (median)",
                        "best (validation)"));
        List<List<String>> out = new ArrayList<>();
        for (SweepComparison.Line l : c.lines()) {
            List<String> line = new ArrayList<>(List.of(l.task(), l.method(), l.sweep()));
            line.addAll(l.config().values());
            SweepSummary.Cell v = l.validation(), t = l.test();
            if (numeric) {
                line.addAll(List.of(Integer.toString(t.n()), Integer.toString(v.n()), fmt(v.mean()), fmt(low(v)),
                        fmt(high(v)), fmt(t.mean()), fmt(low(t)), fmt(high(t)), fmt(l.gradRatio().median()),
                        Boolean.toString(l.best())));
            } else {
                line.addAll(List.of(Integer.toString(t.n()), meanCi(v), meanCi(t), fmt(l.gradRatio().median()),
                        l.best() ? "*" : ""));
            }
            out.add(line);
        }
        return new Table(header, out);
    }

    /** The note under the comparison table. */
    public static final String COMPARISON_NOTES = """
            One line per task, method and sweep; the configuration columns are the keys whose resolved values differ \
            between the sweeps. Validation and test: mean over seeds ± half the 95% Student-t interval (n - 1 df). \
            * marks the lowest mean validation metric of each task and method: the choice reads the validation \
            metric only, never the test metric.
            """;

    private static Double low(SweepSummary.Cell c) {
        return c.ci() == null ? null : c.mean() - c.ci();
    }

    private static Double high(SweepSummary.Cell c) {
        return c.ci() == null ? null : c.mean() + c.ci();
    }

    /** "[0.5, 0.7]", empty where the interval is undefined. */
    private static String interval(Double low, Double high) {
        return low == null ? "" : "[" + fmt(low) + ", " + fmt(high) + "]";
    }

    /** "0.6000 ± 0.2484" (half the 95 % interval), the mean alone where n is 1, empty where n is 0. */
    private static String meanCi(SweepSummary.Cell c) {
        return c.mean() == null ? "" : fmt(c.mean()) + (c.ci() == null ? "" : " ± " + fmt(c.ci()));
    }
}
