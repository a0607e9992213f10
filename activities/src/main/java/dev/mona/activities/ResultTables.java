package dev.mona.activities;

import dev.mona.workflows.SweepRow;

import java.util.List;
import java.util.Locale;

/** A sweep's rows as CSV, Markdown or an aligned text table. */
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
        StringBuilder b = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (SweepRow r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length; i++) {
                if (i > 0) b.append(',');
                String v = c[i];
                b.append(v.contains(",") || v.contains("\"") || v.contains("\n")
                        ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            b.append('\n');
        }
        return b.toString();
    }

    public static String markdown(List<SweepRow> rows) {
        StringBuilder b = new StringBuilder("| " + String.join(" | ", HEADER) + " |\n|");
        b.append("---|".repeat(HEADER.length)).append('\n');
        for (SweepRow r : rows) {
            b.append("| ").append(String.join(" | ", java.util.Arrays.stream(cells(r))
                    .map(c -> c.replace("|", "\\|").replace("\n", " ")).toList())).append(" |\n");
        }
        return b.toString();
    }

    /** Aligned columns for a terminal (run id and message last, message shortened). */
    public static String text(List<SweepRow> rows) {
        List<String[]> all = new java.util.ArrayList<>();
        all.add(HEADER);
        for (SweepRow r : rows) {
            String[] c = cells(r);
            if (c[10].length() > 80) c[10] = c[10].substring(0, 77) + "...";
            all.add(c);
        }
        return aligned(all);
    }

    /**
     * Per task and method over seeds, aligned for a terminal: n seeds with a value, failed and missing seeds, and
     * mean ± sample sd of the test metric and the probe errors (as in the report page).
     */
    public static String summaryText(List<SweepRow> rows) {
        List<String[]> all = new java.util.ArrayList<>();
        all.add(new String[]{"task", "method", "metric", "n", "failed", "missing", "test (mean ± sd)",
                "probe_before", "probe_after"});
        List<SweepSummary.Cell> test = SweepSummary.testMetric(rows);
        List<SweepSummary.Cell> before = SweepSummary.probeBefore(rows);
        List<SweepSummary.Cell> after = SweepSummary.probeAfter(rows);
        for (int i = 0; i < test.size(); i++) {
            SweepSummary.Cell c = test.get(i);
            all.add(new String[]{c.task(), c.method(), c.metric(), Integer.toString(c.n()),
                    Integer.toString(c.failed()), Integer.toString(c.missing()), meanSd(c),
                    meanSd(before.get(i)), meanSd(after.get(i))});
        }
        return aligned(all);
    }

    private static String aligned(List<String[]> all) {
        int[] w = new int[all.get(0).length];
        for (String[] c : all) for (int i = 0; i < c.length; i++) w[i] = Math.max(w[i], c[i].length());
        StringBuilder b = new StringBuilder();
        for (String[] c : all) {
            for (int i = 0; i < c.length; i++) {
                b.append(i == c.length - 1 ? c[i] : String.format("%-" + w[i] + "s  ", c[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
