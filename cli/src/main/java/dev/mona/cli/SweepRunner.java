package dev.mona.cli;

import dev.mona.activities.ResultTables;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workers.Session;
import dev.mona.workers.Submissions;
import dev.mona.workflows.FailureMessages;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.SweepResult;
import dev.mona.workflows.SweepRow;
import io.temporal.client.WorkflowFailedException;

import java.io.UncheckedIOException;
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
            print(verb, r.rows(), out, plots);
            if (r.failed() > 0) {
                verb.note("mona: " + r.failed() + " of " + r.rows().size() + " runs failed (see the message column)");
                return ExitCodes.RUN_FAILED;
            }
            return ExitCodes.OK;
        }
    }

    static void print(Verb verb, List<SweepRow> rows, Map<String, Object> json, List<Path> plots) {
        switch (verb.format) {
            case json -> verb.printJson(json);
            case csv -> verb.out().print(ResultTables.csv(rows));
            case markdown -> verb.out().print(ResultTables.markdown(rows));
            default -> {
                verb.out().print(ResultTables.text(rows));
                verb.out().println();
                verb.out().print(ResultTables.summaryText(rows));
                for (Path p : plots) {
                    verb.out().println("plot: " + p);
                }
            }
        }
        verb.out().flush();
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
        try {
            for (String key : plotKeys) {
                Path p = dir.resolve(key.substring(key.lastIndexOf('/') + 1)).toAbsolutePath();
                store.download(key, p);
                out.add(p);
            }
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, "cannot write plots to " + dir + ": " + e.getMessage());
        }
        return out;
    }
}
