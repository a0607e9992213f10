package dev.mona.cli;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "rm", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Delete a run's objects from the store, or a sweep's table and plots with the objects of its "
                + "runs (a run another sweep also reports stays).", "A running run or sweep is refused (exit 5): "
                + "cancel it first. Shared data sets and source encoders stay (other runs use them)."})
final class RmCommand extends Verb {
    @Parameters(index = "0", paramLabel = "ID", description = "Run or sweep id, or a prefix that starts exactly one.")
    String id;

    @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        RequestChecks.id(id);
        try (Session s = session(false)) {
            id = RunIds.resolve(s, id);
            List<RunCatalog.Entry> all = RunCatalog.list(s);
            RunCatalog.Entry target = all.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(
                    () -> new CliException(ExitCodes.NOT_FOUND, "no run or sweep '" + id + "'; see 'mona ls'"));
            refuseRunning(target);
            List<ArtifactStore.Entry> doomed = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            if (target.kind().equals("sweep")) {
                doomed.addAll(s.store().list(ArtifactKeys.sweep(id)));
                for (RunCatalog.Entry e : all) {
                    if (e.kind().equals("run") && e.sweeps().contains(id)) {
                        if (e.state().equals("running") || e.sweeps().size() > 1) {
                            kept.add(e.id());
                        } else {
                            doomed.addAll(s.store().list(ArtifactKeys.run(e.id())));
                        }
                    }
                }
            } else {
                doomed.addAll(s.store().list(ArtifactKeys.run(id)));
            }
            if (!dryRun) {
                doomed.forEach(d -> s.store().delete(d.key()));
            }
            long bytes = doomed.stream().mapToLong(ArtifactStore.Entry::size).sum();
            if (json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", id);
                o.put("dryRun", dryRun);
                o.put("objects", doomed.size());
                o.put("bytes", bytes);
                o.put("keptRuns", kept);
                printJson(o);
            } else {
                out().println(id + ": " + (dryRun ? "would delete " : "deleted ") + doomed.size() + " objects, "
                        + RunCatalog.size(bytes) + (kept.isEmpty() ? "" : "; kept runs running or in another sweep: "
                        + String.join(", ", kept)));
                out().flush();
            }
            return ExitCodes.OK;
        }
    }

    private static void refuseRunning(RunCatalog.Entry e) {
        if (e.state().equals("running")) {
            throw new CliException(ExitCodes.NOT_FINISHED, e.kind() + " " + e.id() + " is running: cancel it first "
                    + "('mona cancel " + e.id() + "')");
        }
    }
}
