package dev.mona.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mona.activities.SweepReport;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workers.Session;
import dev.mona.workflows.SweepRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "results", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Print a sweep's results table (table, csv, json, markdown) and write its PNG plots "
                + "(metric per method and task; probe error against fine-tuning epochs), or with --html its report "
                + "page (one self-contained HTML file: table, figures, run links); or print a run's manifest."})
final class ResultsCommand extends Verb {
    @Override
    java.util.Set<Format> formats() {
        return java.util.EnumSet.allOf(Format.class);
    }

    @Parameters(index = "0", paramLabel = "ID", description = "Sweep or run id, or a prefix that starts exactly one.")
    String id;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "mona-results",
            description = "Plots go to DIR/<sweep-id>/ (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--html", description = "Write the sweep's report page instead of the PNG plots: one "
            + "self-contained HTML file with the table (mean ± sd over seeds, failed and missing counts), the figures "
            + "and a link to each run's manifest.")
    boolean html;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "With --html: the page's file (default: DIR/<sweep-id>/report.html, DIR from --out).")
    Path page;

    @Override
    public Integer call() throws Exception {
        RequestChecks.id(id);
        if (page != null && !html) {
            throw new CliException(ExitCodes.BAD_INPUT, "-o " + page + " names the report page: add --html");
        }
        try (Session s = session(false)) {
            id = RunIds.resolve(s, id);
            String sweepKey = ArtifactKeys.sweepResults(id);
            if (s.store().exists(sweepKey)) {
                List<SweepRow> rows = JSON.readValue(s.store().getText(sweepKey), new TypeReference<List<SweepRow>>() {
                });
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("sweepId", id);
                o.put("rows", rows);
                if (html) {
                    Path file = writePage(s.store(), rows);
                    o.put("report", file.toString());
                    SweepRunner.print(this, rows, o, List.of());
                    if (format == Format.table) {
                        out().println("report: " + file);
                        out().flush();
                    } else if (!json()) {
                        note("mona: report page " + file); // stdout holds only the csv or markdown table
                    }
                    return ExitCodes.OK;
                }
                List<String> plotKeys = s.store().list(ArtifactKeys.sweepPlots(id)).stream()
                        .map(ArtifactStore.Entry::key).toList();
                List<Path> plots = SweepRunner.downloadPlots(s.store(), plotKeys, outDir.resolve(id));
                o.put("plots", plots.stream().map(Path::toString).toList());
                SweepRunner.print(this, rows, o, plots);
                return ExitCodes.OK;
            }
            String manifest = ArtifactKeys.manifest(id);
            if (s.store().exists(manifest)) {
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

    /**
     * Writes the report page the sweep stored; a sweep whose table predates the page gets it built the same way
     * from its stored rows and figures (a read-only verb writes nothing to the store).
     */
    private Path writePage(ArtifactStore store, List<SweepRow> rows) {
        String key = ArtifactKeys.sweepReport(id);
        String text = store.exists(key) ? store.getText(key) : SweepReport.build(store, id, rows);
        Path file = (page == null ? outDir.resolve(id).resolve("report.html") : page).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, "cannot write the report page to " + file + ": " + e);
        }
        return file;
    }
}
