package dev.mona.cli;

import dev.mona.activities.ResultTables;
import dev.mona.activities.RunRecord;
import dev.mona.activities.SweepSummary;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workers.Session;
import dev.mona.workers.Submissions;
import dev.mona.workflows.FailureMessages;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.SweepResult;
import dev.mona.workflows.SweepRow;
import io.temporal.client.WorkflowFailedException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Submits a sweep, follows it and prints its table; shared by {@code sweep} and {@code demo}. */
final class SweepRunner {
    private SweepRunner() {}

    static int run(Verb verb, SweepRequest spec, boolean wait, boolean watch, Long timeout, Path outDir)
            throws InterruptedException {
        List<String> tasks = spec.tasks().stream().map(verb::storedTask).toList();
        SweepRequest request = RequestChecks.canonical(new SweepRequest(spec.name(), tasks, spec.seeds(),
                spec.methods(), spec.source(), spec.overrides(), spec.maxConcurrent(), spec.noCache(),
                spec.tuning())); // every run, before anything is submitted
        try (Session s = verb.session(true)) {
            RequestChecks.publishSpecs(s.store(), request.tasks());
            Submissions.Submission sub = Submissions.sweep(s.client(), request);
            verb.note("mona: " + (sub.attached() ? "attached to " : "started ") + "sweep " + sub.workflowId() + " ("
                    + request.runs().size() + " runs, " + request.maxConcurrent() + " at a time) on " + s.description());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("workflowId", sub.workflowId());
            out.put("attached", sub.attached());
            if (!(wait || watch || s.embedded())) {
                out.put("status", "RUNNING");
                if (verb.json()) verb.printJson(out); else verb.out().println("sweep " + sub.workflowId() + " RUNNING");
                return ExitCodes.OK;
            }
            String status = Watcher.follow(s.client(), sub.workflowId(), watch || (s.embedded() && !verb.json()),
                    timeout, verb.err(), null);
            out.put("status", status);
            if ("RUNNING".equals(status)) {
                if (verb.json()) verb.printJson(out);
                verb.note("mona: still running; follow it with 'mona watch " + sub.workflowId() + "'");
                return ExitCodes.NOT_FINISHED;
            }
            SweepResult r;
            try {
                r = s.client().newUntypedWorkflowStub(sub.workflowId()).getResult(SweepResult.class);
            } catch (WorkflowFailedException e) {
                out.put("error", FailureMessages.root(e));
                if (verb.json()) verb.printJson(out);
                verb.note("mona: sweep " + sub.workflowId() + " " + status.toLowerCase() + ": " + out.get("error"));
                return ExitCodes.RUN_FAILED;
            }
            List<Path> plots = downloadPlots(s.store(), r.plotKeys(),
                    outDir == null ? null : outDir.resolve(sub.workflowId()));
            out.put("result", r);
            out.put("plots", plots.stream().map(Path::toString).toList());
            print(verb, r.rows(), RunRecord.load(s.store(), r.rows()), csvOrAll(verb), out, plots);
            if (r.failed() > 0) {
                verb.note("mona: " + r.failed() + " of " + r.rows().size() + " runs failed (see the message column)");
                return ExitCodes.RUN_FAILED;
            }
            return ExitCodes.OK;
        }
    }

    /** Which of a sweep's tables to print: csv holds one (never {@code all}), table and markdown any. */
    enum Tables { all, runs, summary, paired }

    /**
     * Prints a sweep's tables: its rows, the summary per task and method over seeds (with 95 % intervals, the
     * validation metric and MoNA's ratio from the run records {@code runs}), and the paired differences with their
     * tests; json carries them as {@code summary} and {@code paired} beside the {@code json} fields.
     */
    static void print(Verb verb, List<SweepRow> rows, Map<String, RunRecord> runs, Tables tables,
                      Map<String, Object> json, List<Path> plots) {
        List<SweepSummary.Stats> stats = SweepSummary.stats(rows, runs);
        List<SweepSummary.Difference> diffs = SweepSummary.paired(rows);
        switch (verb.format) {
            case json -> {
                json.put("summary", stats);
                json.put("paired", diffs);
                json.put("notes", ResultTables.NOTES.strip());
                verb.printJson(json);
            }
            case csv -> verb.out().print(switch (tables) {
                case summary -> ResultTables.summary(stats, true).csv();
                case paired -> ResultTables.paired(diffs).csv();
                default -> ResultTables.csv(rows);
            });
            default -> {
                boolean md = verb.format == Format.markdown;
                List<String> parts = new ArrayList<>();
                if (tables == Tables.all || tables == Tables.runs) {
                    parts.add(md ? ResultTables.markdown(rows) : ResultTables.text(rows));
                }
                if (tables == Tables.all || tables == Tables.summary) {
                    ResultTables.Table t = ResultTables.summary(stats, false);
                    parts.add(md ? t.markdown() : t.text());
                }
                if (tables == Tables.all || tables == Tables.paired) {
                    ResultTables.Table t = ResultTables.paired(diffs);
                    parts.add(md ? t.markdown() : t.text());
                }
                if (tables != Tables.runs) {
                    parts.add(ResultTables.NOTES);
                }
                verb.out().print(String.join("\n", parts));
                if (!md) {
                    for (Path p : plots) {
                        verb.out().println("plot: " + p);
                    }
                }
            }
        }
        verb.out().flush();
    }

    /** Every table, but csv holds one: the rows. */
    static Tables csvOrAll(Verb verb) {
        return verb.format == Format.csv ? Tables.runs : Tables.all;
    }

    /**
     * Downloads the sweep's stored PNG plots (rendered by the writeSweepTable activity) into {@code dir}, each under
     * its file name; nothing when dir is null or there are no plots.
     */
    static List<Path> downloadPlots(ArtifactStore store, List<String> plotKeys, Path dir) {
        List<Path> out = new ArrayList<>();
        if (dir == null || plotKeys == null) {
            return out;
        }
        for (String key : plotKeys) {
            Path p = dir.resolve(key.substring(key.lastIndexOf('/') + 1)).toAbsolutePath();
            store.download(key, p, "choose a writable folder with --out");
            out.add(p);
        }
        return out;
    }
}
