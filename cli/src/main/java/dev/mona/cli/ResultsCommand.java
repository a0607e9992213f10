package dev.mona.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mona.activities.ResultTables;
import dev.mona.activities.RunRecord;
import dev.mona.activities.SweepComparison;
import dev.mona.activities.SweepReport;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.LocalFiles;
import dev.mona.workers.Session;
import dev.mona.workflows.SweepRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "results", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Print a sweep's results (table, csv, json, markdown): its rows, the summary per task and "
                + "method over seeds (mean ± sd, 95%% t interval, validation metric, probe errors, MoNA's median "
                + "grad_ratio) and the paired differences between MoNA and each other method (paired t-test, exact "
                + "Wilcoxon signed-rank), and draw its PNG figures from the stored runs (metric per method; probe "
                + "error against epochs; fine-tuning curves; analysis figures), or with --html its report page (one "
                + "self-contained HTML file); with several sweeps, compare them: one line per task, method and sweep "
                + "with the config keys that differ and the best by validation metric; with --merge, read several "
                + "sweeps as one (a method added later in its own sweep); or print a run's manifest."})
final class ResultsCommand extends Verb {
    @Override
    java.util.Set<Format> formats() {
        return java.util.EnumSet.allOf(Format.class);
    }

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Sweep or run id, or a prefix that starts exactly "
            + "one; several sweep ids: their comparison (or, with --merge, one study).")
    List<String> ids;

    @Option(names = "--merge", description = "Read several sweeps as one study: the tables, paired tests and figures "
            + "over all their runs, as if one sweep had run them (for a method added later in its own sweep). Runs "
            + "of a task, method, seed and source that an earlier sweep holds become a variant of the method, "
            + "named by the keys that set them apart (e.g. mona[mona.lambda=0.1]); a run several sweeps report "
            + "(the same id) counts once; other runs of a cell with the same configuration are refused. The "
            + "shared keys whose values differ between the sweeps are printed with the tables.")
    boolean merge;

    String id;

    @Option(names = "--table", paramLabel = "TABLE", description = "The sweep's table to print: "
            + "${COMPLETION-CANDIDATES} (default: all; csv holds one table: runs unless named).")
    SweepRunner.Tables table;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "mona-results",
            description = "Figures go to DIR/<sweep-id>/, drawn from the store (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--html", description = "Write the sweep's report page instead of the PNG plots: one "
            + "self-contained HTML file with the summary (mean ± sd and 95%% interval over seeds, validation metric, "
            + "grad_ratio, failed and missing counts), the paired differences, the figures and a link to each run's "
            + "manifest.")
    boolean html;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "With --html: the page's file (default: DIR/<sweep-id>/report.html, DIR from --out).")
    Path page;

    @Override
    public Integer call() throws Exception {
        ids.forEach(RequestChecks::id);
        if (page != null && !html) {
            throw new CliException(ExitCodes.BAD_INPUT, "-o " + page + " names the report page: add --html");
        }
        // refused before anything is read or drawn
        if (table == SweepRunner.Tables.all && format == Format.csv) {
            throw new CliException(ExitCodes.BAD_INPUT, "csv holds one table: --table runs, summary or paired");
        }
        if (table != null && json()) {
            throw new CliException(ExitCodes.BAD_INPUT, "json carries every table (rows, summary, paired): drop "
                    + "--table");
        }
        if (merge) {
            return merged();
        }
        if (ids.size() > 1) {
            return compare();
        }
        id = ids.get(0);
        try (Session s = session(false)) {
            id = RunIds.resolve(s, id);
            String sweepKey = ArtifactKeys.sweepResults(id);
            if (s.store().exists(sweepKey)) {
                List<SweepRow> rows = rows(s.store(), id);
                return report(s.store(), rows, RunRecord.load(s.store(), rows), new LinkedHashMap<>(Map.of("sweepId",
                        id)));
            }
            String manifest = ArtifactKeys.manifest(id);
            if (s.store().exists(manifest)) {
                if (table != null) {
                    throw new CliException(ExitCodes.BAD_INPUT, "--table selects one of a sweep's tables and " + id
                            + " is a run: drop --table");
                }
                if (html) {
                    throw new CliException(ExitCodes.BAD_INPUT, "--html writes a sweep's report page and " + id
                            + " is a run; its results are its manifest: drop --html");
                }
                if (format == Format.csv || format == Format.markdown) {
                    throw new CliException(ExitCodes.BAD_INPUT, "a run's results are its manifest, written as a "
                            + "table or json (csv and markdown are for sweeps); use --format table or json");
                }
                Map<?, ?> m = JSON.readValue(s.store().getText(manifest), Map.class);
                if (json()) {
                    printJson(m); // the stored manifest is indented; stdout carries it on one line
                } else {
                    out().println("run " + id);
                    out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m.get("results")));
                    out().println("manifest: " + manifest);
                }
                out().flush();
                return ExitCodes.OK;
            }
            if (!s.store().list(ArtifactKeys.run(id)).isEmpty() || !s.store().list(ArtifactKeys.sweep(id)).isEmpty()) {
                throw new CliException(ExitCodes.NOT_FINISHED, id + " has no results yet (still running or failed); "
                        + "see 'mona status " + id + "'");
            }
            throw new CliException(ExitCodes.NOT_FOUND, "no run or sweep '" + id + "' in the artifact store; "
                    + "see 'mona ls'");
        }
    }

    /** The tables, figures or report page of {@code rows}: one sweep's, or several merged under {@link #id}. */
    private int report(ArtifactStore store, List<SweepRow> rows, Map<String, RunRecord> runs, Map<String, Object> o) {
        Map<String, byte[]> figures = SweepReport.figures(store, rows, runs);
        SweepRunner.Tables tables = table == null ? SweepRunner.csvOrAll(this) : table;
        o.put("rows", rows);
        if (html) {
            Path file = writePage(store, rows, runs, figures);
            o.put("report", file.toString());
            SweepRunner.print(this, rows, runs, tables, o, List.of());
            if (format == Format.table) {
                out().println("report: " + file);
                out().flush();
            } else if (!json()) {
                note("mona: report page " + file); // stdout holds only the csv or markdown table
            }
            return ExitCodes.OK;
        }
        List<Path> plots = writeFigures(figures, outDir.resolve(id));
        o.put("plots", plots.stream().map(Path::toString).toList());
        SweepRunner.print(this, rows, runs, tables, o, plots);
        return ExitCodes.OK;
    }

    /**
     * Several finished sweeps read as one study ({@code --merge}): their rows together ({@link #mergeRows}: a cell two
     * sweeps hold becomes a variant of the method when its configuration differs, else it is refused). Figures and
     * the page go under {@code merged-<digest of the ids in their order>}; the keys that set the runs apart besides
     * method and seed ({@link #differingKeys}) go to stderr (json: {@code differingKeys}), so stdout holds only the
     * tables.
     */
    private int merged() throws Exception {
        if (ids.size() < 2) {
            throw new CliException(ExitCodes.BAD_INPUT, "--merge reads several sweeps as one: give two or more sweep "
                    + "ids (one sweep's results need no --merge)");
        }
        try (Session s = session(false)) {
            List<String> sweepIds = new ArrayList<>();
            List<List<SweepRow>> bySweep = new ArrayList<>();
            Map<String, RunRecord> runs = new LinkedHashMap<>();
            for (String given : ids) {
                String sweepId = RunIds.resolve(s, given);
                if (!s.store().exists(ArtifactKeys.sweepResults(sweepId))) {
                    throw new CliException(ExitCodes.BAD_INPUT, sweepId + " is not a finished sweep; --merge takes "
                            + "sweep ids only (see 'mona ls')");
                }
                if (sweepIds.contains(sweepId)) {
                    throw new CliException(ExitCodes.BAD_INPUT, sweepId + " is given twice: merge each sweep once");
                }
                sweepIds.add(sweepId);
                List<SweepRow> own = rows(s.store(), sweepId);
                bySweep.add(own);
                runs.putAll(RunRecord.load(s.store(), own));
            }
            List<SweepRow> rows = mergeRows(sweepIds, bySweep, runs);
            List<String> differing = differingKeys(rows, runs);
            // the order names the variants (the first sweep's runs keep the method's name): it is part of the id
            id = "merged-" + dev.mona.workflows.WorkflowIds.digest(String.join("\n", sweepIds));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sweepId", id);
            o.put("sweeps", sweepIds);
            o.put("differingKeys", differing);
            if (!json()) {
                note("mona: " + sweepIds.size() + " sweeps read as one (" + String.join(", ", sweepIds) + "); "
                        + "shared keys whose values differ between their runs: " + (differing.isEmpty() ? "none"
                        : String.join(", ", differing)));
            }
            return report(s.store(), rows, runs, o);
        }
    }

    /**
     * The rows of several sweeps read as one study, in the order given. A run cell (task, method, seed, source) that an
     * earlier sweep already holds is kept when the later sweep's runs of that task and method differ from the
     * earlier ones in some configuration key: they become a variant of the method, labelled
     * {@code method[key=value,...]} with the keys whose values never coincide (e.g. {@code mona[mona.lambda=0.1]}
     * beside the earlier sweep's {@code mona}), and take part in every table, paired test and figure as a method of
     * their own. A run that several sweeps report (the same run id: a sweep attached to it) counts once, in the
     * first. Refused when nothing tells two runs of a cell apart (the same configuration) or no manifest says
     * (failed runs only).
     */
    static List<SweepRow> mergeRows(List<String> sweepIds, List<List<SweepRow>> bySweep,
                                    Map<String, RunRecord> runs) {
        Map<String, String> holder = new java.util.HashMap<>();
        List<SweepRow> out = new ArrayList<>();
        List<SweepRow> originals = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < sweepIds.size(); i++) {
            String sweepId = sweepIds.get(i);
            // a run an earlier sweep reported too (a sweep attaches to the same run) is one run: counted once
            List<SweepRow> own = bySweep.get(i).stream().filter(r -> !seen.contains(r.runId())).toList();
            own.forEach(r -> seen.add(r.runId()));
            Map<String, String> labels = new LinkedHashMap<>();
            for (SweepRow r : own) {
                String group = r.task() + "\n" + r.method();
                if (labels.containsKey(group)) {
                    continue;
                }
                List<SweepRow> clash = own.stream().filter(x -> x.task().equals(r.task())
                        && x.method().equals(r.method()) && holder.containsKey(cell(x, x.method()))).toList();
                if (clash.isEmpty()) {
                    labels.put(group, r.method());
                    continue;
                }
                String cell = cell(clash.get(0), r.method());
                List<Map<String, String>> earlier = originals.stream().filter(x -> x.task().equals(r.task())
                        && x.method().equals(r.method()) && runs.containsKey(x.runId()))
                        .map(x -> runs.get(x.runId()).config()).toList();
                List<Map<String, String>> later = own.stream().filter(x -> x.task().equals(r.task())
                        && x.method().equals(r.method()) && runs.containsKey(x.runId()))
                        .map(x -> runs.get(x.runId()).config()).toList();
                String variant = earlier.isEmpty() || later.isEmpty() ? null : variant(earlier, later);
                if (variant == null) {
                    throw new CliException(ExitCodes.BAD_INPUT, "sweeps " + holder.get(cell) + " and " + sweepId
                            + " both hold " + cell + (earlier.isEmpty() || later.isEmpty()
                            ? " and no manifest of one of them says how their runs differ"
                            : " with the same configuration") + ": --merge reads sweeps without a common run cell as "
                            + "one study, or keeps differently configured runs of a cell as a variant of the "
                            + "method; compare them instead (drop --merge)");
                }
                labels.put(group, r.method() + "[" + variant + "]");
            }
            for (SweepRow r : own) {
                String label = labels.get(r.task() + "\n" + r.method());
                String cell = cell(r, label);
                String before = holder.putIfAbsent(cell, sweepId);
                if (before != null) {
                    throw new CliException(ExitCodes.BAD_INPUT, "sweeps " + before + " and " + sweepId + " both "
                            + "hold " + cell + ": --merge reads sweeps without a common run cell as one study; "
                            + "compare them instead (drop --merge)");
                }
                originals.add(r);
                out.add(label.equals(r.method()) ? r : new SweepRow(r.task(), label, r.seed(), r.runId(), r.status(),
                        r.metricName(), r.testMetric(), r.probeErrorBefore(), r.probeErrorAfter(), r.epochs(),
                        r.message(), r.source()));
            }
        }
        return out;
    }

    private static String cell(SweepRow r, String method) {
        return r.task() + " / " + method + " / seed " + r.seed()
                + (r.source() == null || r.source().isEmpty() ? "" : " / source " + r.source());
    }

    /**
     * The keys whose values in {@code later} never occur in {@code earlier} (a key a configuration lacks reads
     * {@code -}), as {@code key=value} joined by commas (several values of one key by {@code |}); null when none.
     */
    static String variant(List<Map<String, String>> earlier, List<Map<String, String>> later) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        earlier.forEach(c -> keys.addAll(c.keySet()));
        later.forEach(c -> keys.addAll(c.keySet()));
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            java.util.Set<String> e = new java.util.TreeSet<>();
            earlier.forEach(c -> e.add(c.getOrDefault(k, "-")));
            java.util.Set<String> l = new java.util.TreeSet<>();
            later.forEach(c -> l.add(c.getOrDefault(k, "-")));
            if (java.util.Collections.disjoint(e, l)) {
                parts.add(k + "=" + String.join("|", l));
            }
        }
        return parts.isEmpty() ? null : String.join(",", parts);
    }

    /**
     * The keys that every run of a task resolves (so not a method's own keys, such as {@code orca.*}) and whose values
     * differ between runs of that task: what sets the merged runs apart besides their methods and seeds.
     */
    static List<String> differingKeys(List<SweepRow> rows, Map<String, RunRecord> runs) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        Map<String, List<SweepRow>> byTask = new LinkedHashMap<>();
        rows.forEach(r -> byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r));
        for (List<SweepRow> task : byTask.values()) {
            List<Map<String, String>> configs = task.stream().map(r -> runs.get(r.runId()))
                    .filter(java.util.Objects::nonNull).map(RunRecord::config).toList();
            if (configs.isEmpty()) {
                continue;
            }
            java.util.Set<String> common = new java.util.TreeSet<>(configs.get(0).keySet());
            configs.forEach(c -> common.retainAll(c.keySet()));
            for (String key : common) {
                if (configs.stream().map(c -> c.get(key)).distinct().count() > 1) {
                    out.add(key);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Several sweeps side by side (see {@link SweepComparison}); every id must name a finished sweep. */
    private int compare() throws Exception {
        if (html || table != null) {
            throw new CliException(ExitCodes.BAD_INPUT, (html ? "--html" : "--table") + " is for one sweep; several "
                    + "sweeps print their comparison table: drop it");
        }
        try (Session s = session(false)) {
            List<SweepComparison.Sweep> sweeps = new ArrayList<>();
            for (String given : ids) {
                String sweepId = RunIds.resolve(s, given);
                if (!s.store().exists(ArtifactKeys.sweepResults(sweepId))) {
                    throw new CliException(ExitCodes.BAD_INPUT, sweepId + " is not a finished sweep; a comparison "
                            + "takes sweep ids only (see 'mona ls')");
                }
                List<SweepRow> rows = rows(s.store(), sweepId);
                sweeps.add(new SweepComparison.Sweep(sweepId, rows, RunRecord.load(s.store(), rows)));
            }
            SweepComparison.Comparison c = SweepComparison.compare(sweeps);
            switch (format) {
                case json -> {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("sweeps", c.sweeps());
                    o.put("differingKeys", c.differingKeys());
                    o.put("lines", c.lines());
                    o.put("notes", ResultTables.COMPARISON_NOTES.strip());
                    printJson(o);
                }
                case csv -> out().print(ResultTables.comparison(c, true).csv());
                case markdown -> out().print(ResultTables.comparison(c, false).markdown() + "\n"
                        + ResultTables.COMPARISON_NOTES);
                default -> out().print(ResultTables.comparison(c, false).text() + "\n"
                        + ResultTables.COMPARISON_NOTES);
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    private static List<SweepRow> rows(ArtifactStore store, String sweepId) throws IOException {
        return JSON.readValue(store.getText(ArtifactKeys.sweepResults(sweepId)), new TypeReference<List<SweepRow>>() {
        });
    }

    /** Writes each figure into {@code dir} under its name. */
    private static List<Path> writeFigures(Map<String, byte[]> figures, Path dir) {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : figures.entrySet()) {
            Path p = dir.resolve(f.getKey()).toAbsolutePath();
            LocalFiles.write(p, f.getValue(), "choose a writable folder with --out");
            out.add(p);
        }
        return out;
    }

    /**
     * Writes the sweep's report page, built from its stored rows and runs with the figures drawn now: the same page
     * the sweep stored when the code is the same, the current tables and figures for an older sweep (a read-only
     * verb writes nothing to the store).
     */
    private Path writePage(ArtifactStore store, List<SweepRow> rows, Map<String, RunRecord> runs,
                           Map<String, byte[]> figures) {
        String text = SweepReport.build(store, id, rows, runs, figures);
        Path file = (page == null ? outDir.resolve(id).resolve("report.html") : page).toAbsolutePath();
        LocalFiles.write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), page == null
                ? "choose a writable folder with --out" : "choose a writable file with -o");
        return file;
    }
}
