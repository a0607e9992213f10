package dev.mona.cli;

import dev.mona.workers.Progress;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

@Command(name = "cancel", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Cancel a run or sweep (a sweep cancels its child runs). Artifacts written so far stay.")
final class CancelCommand extends Verb {
    @Parameters(index = "0", paramLabel = "ID", description = "Run or sweep id, or a prefix that starts exactly one.")
    String id;

    @Override
    public Integer call() {
        RequestChecks.id(id);
        try (Session s = session(false)) {
            id = RunIds.resolve(s, id);
            Progress.Snapshot snap = Watcher.snapshot(s.client(), id);
            boolean running = "RUNNING".equals(snap.status());
            if (running) {
                s.client().newUntypedWorkflowStub(id).cancel();
            }
            String state = running ? "cancel requested" : "already " + snap.status().toLowerCase();
            if (json()) {
                printJson(Map.of("workflowId", id, "result", state));
            } else {
                out().println(id + ": " + state);
                out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
