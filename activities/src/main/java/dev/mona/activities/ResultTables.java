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
        int[] w = new int[HEADER.length];
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
