package dev.mona.cli;

import dev.mona.workers.Progress;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "status", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Show a run's or sweep's status, stage and the heartbeat of the stage in progress; when the "
                + "orchestrator fails on the workflow (Temporal retries it, so it only looks stuck), its error.")
final class StatusCommand extends Verb {
    @Parameters(index = "0", paramLabel = "ID", description = "Run or sweep id, or a prefix that starts exactly one.")
    String id;

    @Override
    public Integer call() {
        RequestChecks.id(id);
        try (Session s = session(false)) {
            id = RunIds.resolve(s, id);
            Progress.Snapshot snap = Watcher.snapshot(s.client(), id);
            String line = Watcher.describe(s.client(), snap);
            if (json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("snapshot", snap);
                o.put("summary", line);
                printJson(o);
            } else {
                out().println(snap.workflowType() + " " + id);
                out().println(line);
                out().flush();
            }
            return switch (snap.status()) {
                case "COMPLETED", "RUNNING" -> ExitCodes.OK;
                default -> ExitCodes.RUN_FAILED;
            };
        }
    }
}
