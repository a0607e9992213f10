package dev.mona.cli;

import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Follow a run or sweep until it finishes: progress bars from workflow queries and stage "
                + "heartbeats (epoch, step, loss).", "With --format json, one JSON snapshot per line."})
final class WatchCommand extends Verb {
    @Parameters(index = "0", paramLabel = "ID", description = "Run or sweep id, or a prefix that starts exactly one.")
    String id;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = WaitTimeout.class,
            description = "Stop watching after this long, 1 to 2592000 (30 days) (exit 5).")
    Long timeout;

    @Override
    public Integer call() throws Exception {
        RequestChecks.id(id);
        try (Session s = session(false)) {
            id = RunIds.resolve(s, id);
            String status = Watcher.follow(s.client(), id, !json(), timeout, err(), json() ? this::printJson : null);
            if (!json()) {
                out().println(id + " " + status);
                out().flush();
            }
            return switch (status) {
                case "COMPLETED" -> ExitCodes.OK;
                case "RUNNING" -> ExitCodes.NOT_FINISHED;
                default -> ExitCodes.RUN_FAILED;
            };
        }
    }
}
