package dev.mona.activities;

import dev.mona.activities.SweepSummary.Cell;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workflows.SweepRow;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;


/**
 * A sweep's report page: one self-contained HTML file (inline style, figures as base64 PNG, nothing fetched) with
 * the table per task and method (mean ± sd and 95 % interval over seeds of the test and validation metrics, probe
 * errors, MoNA's diagnostic ratio, n, failed and missing counts), the paired differences between methods with their
 * tests, every figure of the sweep, and a line per run with its state and a link to its manifest in the store.
 */
public final class SweepReport {
    private SweepReport() {}

    /**
     * Every figure of a sweep, drawn from its rows and its runs' stored results: the sweep's plots (with the
     * fine-tuning curves from the run records) and the paper's analysis figures.
     */
    public static Map<String, byte[]> figures(ArtifactStore store, List<SweepRow> rows, Map<String, RunRecord> runs) {
        Map<String, byte[]> figures = new LinkedHashMap<>(SweepPlots.render(rows, runs));
        figures.putAll(AnalysisFigures.render(AnalysisFigures.load(store, rows)));
        return figures;
    }

    /**
     * The page from the store: the rows given, their runs' records, the figures given, and {@code s3://} links to the
     * manifests that exist.
     */
    public static String build(ArtifactStore store, String sweepId, List<SweepRow> rows, Map<String, RunRecord> runs,
                               Map<String, byte[]> figures) {
        String bucket = store.config().bucket();
        return html(sweepId, rows, runs, figures, runId -> store.exists(ArtifactKeys.manifest(runId))
                ? "s3://" + bucket + "/" + ArtifactKeys.manifest(runId) : null);
    }

    /**
     * The page.
     *
     * @param figures  file name to PNG bytes, in the order shown
     * @param manifest run id to the URI of its manifest, {@code null} where the run has none
     */
    static String html(String sweepId, List<SweepRow> rows, Map<String, RunRecord> runs, Map<String, byte[]> figures,
                       Function<String, String> manifest) {
        SweepSummary.Counts counts = SweepSummary.counts(rows);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mona sweep ")
                .append(esc(sweepId)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        b.append("<h1>Sweep <code>").append(esc(sweepId)).append("</code></h1>\n");
        b.append("<p class=\"counts\">").append(count(rows.size(), "run")).append(" (")
                .append(count(SweepSummary.tasks(rows).size(), "task")).append(" &times; ")
                .append(count(SweepSummary.methods(rows).size(), "method")).append(" &times; ")
                .append(count((int) rows.stream().map(SweepRow::seed).distinct().count(), "seed")).append("): ")
                .append(counts.completed()).append(" completed, ").append(lacking(counts.failed() + " failed"))
                .append(", ").append(lacking(counts.missing() + " missing")).append(".</p>\n");
        b.append("<p>Values are the mean over seeds &plusmn; one sample standard deviation (n &minus; 1 in the "
                + "denominator; none where n &lt; 2); n counts the seeds with a value; a 95% CI is the mean's "
                + "Student-t interval (n &minus; 1 degrees of freedom). Every metric is "
                + "lower-is-better; the probe error is the linear probe's error (%) on the source set, lower "
                + "meaning more source knowledge kept. Failed and missing seeds are counted, not averaged.</p>\n");

        b.append("<h2>Results by task and method</h2>\n<table class=\"summary\">\n<tr><th>task</th><th>method</th>"
                + "<th>metric</th><th>n</th><th>failed</th><th>missing</th><th>test metric</th><th>test 95% CI</th>"
                + "<th>validation metric</th><th>validation 95% CI</th>"
                + "<th>probe error before (%)</th><th>probe error after (%)</th><th>grad_ratio (median)</th></tr>\n");
        List<SweepSummary.Stats> stats = SweepSummary.stats(rows, runs);
        ResultTables.Table summary = ResultTables.summary(stats, false);
        for (int i = 0; i < stats.size(); i++) {
            Cell c = stats.get(i).test();
            b.append(c.failed() + c.missing() > 0 ? "<tr class=\"lacking\">" : "<tr>");
            summary.rows().get(i).forEach(v -> b.append(td(v)));
            b.append("</tr>\n");
        }
        b.append("</table>\n");

        List<SweepSummary.Difference> diffs = SweepSummary.paired(rows);
        b.append("<h2>Paired differences over seeds</h2>\n");
        if (diffs.isEmpty()) {
            b.append("<p>No two methods share a completed seed.</p>\n");
        } else {
            ResultTables.Table paired = ResultTables.paired(diffs);
            b.append("<table class=\"paired\">\n<tr>");
            paired.header().forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
            b.append("</tr>\n");
            for (List<String> line : paired.rows()) {
                b.append("<tr>");
                line.forEach(v -> b.append(td(v)));
                b.append("</tr>\n");
            }
            b.append("</table>\n");
        }
        b.append("<p class=\"notes\">").append(esc(ResultTables.NOTES.strip()).replace("\n", "<br>\n"))
                .append("</p>\n");

        b.append("<h2>Figures</h2>\n");
        if (figures.isEmpty()) {
            b.append("<p>No figures were stored for this sweep.</p>\n");
        }
        for (Map.Entry<String, byte[]> f : figures.entrySet()) {
            b.append("<figure><img alt=\"").append(esc(f.getKey())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(f.getValue())).append("\"><figcaption>")
                    .append(esc(f.getKey())).append("</figcaption></figure>\n");
        }

        b.append("<h2>Runs</h2>\n<p>A manifest link is the object's <code>s3://</code> address in the artifact store; "
                + "fetch it with <code>mona artifacts get KEY</code> or see the run with <code>mona results RUN_ID"
                + "</code>.</p>\n<table class=\"runs\">\n<tr><th>run</th><th>task</th><th>method</th><th>seed</th>"
                + "<th>state</th><th>test metric</th><th>probe before</th><th>probe after</th><th>epochs</th>"
                + "<th>manifest</th><th>message</th></tr>\n");
        for (SweepRow r : rows) {
            String uri = manifest.apply(r.runId());
            String link = uri == null ? "none"
                    : "<a href=\"" + esc(uri) + "\"><code>" + esc(ArtifactKeys.manifest(r.runId())) + "</code></a>";
            b.append(SweepSummary.completed(r) ? "<tr>" : "<tr class=\"lacking\">").append(td(r.runId()))
                    .append(td(r.task())).append(td(r.method())).append(td(Long.toString(r.seed())))
                    .append(td(r.status())).append(td(ResultTables.fmt(r.testMetric())))
                    .append(td(ResultTables.fmt(r.probeErrorBefore())))
                    .append(td(ResultTables.fmt(r.probeErrorAfter())))
                    .append(td(SweepSummary.completed(r) ? Integer.toString(r.epochs()) : ""))
                    .append("<td>").append(link).append("</td>")
                    .append(td(r.message() == null ? "" : r.message())).append("</tr>\n");
        }
        b.append("</table>\n</body>\n</html>\n");
        return b.toString();
    }

    /** "1 task", "3 tasks" */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A failed or missing count, in red unless it is 0. */
    private static String lacking(String count) {
        return count.startsWith("0 ") ? count : "<span class=\"bad\">" + count + "</span>";
    }

    private static String td(String text) {
        return "<td>" + esc(text) + "</td>";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = """
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1200px; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; font-size: 0.9em; }
            th { background: #eee; }
            tr.lacking td { background: #fde2e2; }
            .bad { color: #c81e1e; }
            figure { margin: 1em 0; }
            img { max-width: 100%; border: 1px solid #ddd; }
            figcaption { font-size: 0.85em; color: #555; }
            """;
}
