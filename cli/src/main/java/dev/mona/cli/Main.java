package dev.mona.cli;

import dev.mona.activities.CodeVersion;
import dev.mona.activities.store.ArtifactNotFoundException;
import dev.mona.activities.store.LocalWriteException;
import dev.mona.activities.store.StorageAccessException;
import dev.mona.activities.store.StorageUnavailableException;
import dev.mona.workers.ConfigException;
import dev.mona.workers.ServerUnreachableException;
import dev.mona.workflows.InvalidRequestException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Entry point of the {@code mona} command. */
@Command(name = "mona", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Cross-modality transfer learning (MoNA) as Temporal workflows with an S3 artifact store.",
        footer = ExitCodes.HELP,
        subcommands = {DemoCommand.class, RunCommand.class, SweepCommand.class, StatusCommand.class,
                WatchCommand.class, LsCommand.class, ResultsCommand.class, CancelCommand.class, ExportCommand.class,
                ArtifactsCommand.class, TasksCommand.class, PredictCommand.class, BenchCommand.class,
                WorkerCommand.class,
                ServerCommand.class, PretrainCommand.class, CompletionCommand.class, RmCommand.class,
                GcCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    private static volatile Map<String, String> environment = System.getenv();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * {@code mona --version}: the project version and the git commit of the checkout, the same pair that the stage
     * cache keys and the run manifests record ({@link CodeVersion}).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"mona " + CodeVersion.projectVersion() + " (git commit " + CodeVersion.gitCommit()
                    + ")"};
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "name a verb (see the list above)");
    }

    /** The environment the configuration is read from (the process's, or a test's). */
    static Map<String, String> environment() {
        return environment;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given environment and streams; returns the exit code. */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        environment = new LinkedHashMap<>(env);
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            int code = exitCodeFor(ex);
            String message = message(ex);
            Verb verb = line.getCommand() instanceof Verb v ? v : null;
            if (verb != null && verb.format == Format.json) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("error", message);
                e.put("exitCode", code);
                verb.printJson(e);
            }
            line.getErr().println("mona: " + message);
            if (code == ExitCodes.INTERNAL) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return code;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine line = ex.getCommandLine();
            line.getErr().println("mona: " + ex.getMessage());
            line.getErr().println("Try 'mona " + (line.getCommandName().equals("mona") ? "" : line.getCommandName()
                    + " ") + "--help'.");
            return ExitCodes.BAD_INPUT;
        });
        cl.setExitCodeExceptionMapper(Main::exitCodeFor);
        // every verb either writes the --format asked for or refuses it before doing anything
        cl.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult leaf = parsed;
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
            }
            if (leaf.commandSpec().userObject() instanceof Verb v && !leaf.isUsageHelpRequested()
                    && !leaf.isVersionHelpRequested()) {
                try {
                    v.checkFormat();
                } catch (CliException e) {
                    throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), e.getMessage(), e);
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl;
    }

    static int exitCodeFor(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof CliException c) return c.exitCode();
            if (t instanceof InvalidRequestException) return ExitCodes.BAD_INPUT;
            if (t instanceof ConfigException || t instanceof ServerUnreachableException
                    || t instanceof StorageUnavailableException || t instanceof StorageAccessException
                    || t instanceof LocalWriteException) {
                return ExitCodes.ENVIRONMENT;
            }
            if (t instanceof ArtifactNotFoundException || t instanceof WorkflowNotFoundException) {
                return ExitCodes.NOT_FOUND;
            }
            if (t instanceof StatusRuntimeException s) {
                Status.Code c = s.getStatus().getCode();
                if (c == Status.Code.NOT_FOUND) return ExitCodes.NOT_FOUND;
                if (c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED) return ExitCodes.ENVIRONMENT;
            }
            if (t instanceof WorkflowFailedException) return ExitCodes.RUN_FAILED;
            if (t instanceof InterruptedException) return ExitCodes.INTERRUPTED;
        }
        return ExitCodes.INTERNAL; // an internal error: a bug, reported with its stack trace
    }

    static String message(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof CliException || t instanceof InvalidRequestException || t instanceof ConfigException
                    || t instanceof ServerUnreachableException
                    || t instanceof StorageUnavailableException || t instanceof StorageAccessException
                    || t instanceof ArtifactNotFoundException || t instanceof LocalWriteException) {
                return t.getMessage();
            }
            if (t instanceof WorkflowNotFoundException w) {
                return "no run or sweep '" + w.getExecution().getWorkflowId() + "'; see 'mona ls'";
            }
            if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return "not found: " + s.getStatus().getDescription();
            }
        }
        return ex.toString();
    }
}
