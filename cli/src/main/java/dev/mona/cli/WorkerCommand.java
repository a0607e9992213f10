package dev.mona.cli;

import dev.mona.workers.WorkerMain;
import dev.mona.workers.Workers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Serve stages for the configured Temporal server until stopped (Ctrl-C / SIGTERM).",
                "gpu: training stages, one slot per GPU (MONA_GPUS overrides); orchestrator: workflows and CPU "
                        + "stages; all: both."})
final class WorkerCommand extends Verb {
    @Option(names = "--role", defaultValue = "gpu", description = "gpu, orchestrator or all (default: ${DEFAULT-VALUE}).")
    String role;

    @Override
    public Integer call() throws Exception {
        Workers.Role r;
        try {
            r = Workers.Role.valueOf(role.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "unknown role '" + role + "'; choose gpu, orchestrator or all");
        }
        WorkerMain.run(config(), r, null);
        return ExitCodes.OK;
    }
}
