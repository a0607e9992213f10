package dev.mona.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mona.workers.ClusterConfig;
import dev.mona.workers.Session;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;

/** Base of every verb: the shared options, the configuration, the session and the output helpers. */
abstract class Verb implements Callable<Integer> {
    /**
     * Compact: every {@code --format json} object is printed on one line, so a reader that keeps only the last line
     * of stdout (Airflow's BashOperator pushes it to XCom) gets the whole result; a verb that emits several objects
     * ({@code watch}) prints one line each (JSON Lines).
     */
    static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "Output: table, json, csv or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file (default: $MONA_CONFIG, else ~/.config/mona/config.yaml).")
    Path configFile;

    /**
     * The formats this verb writes; {@link Main} rejects any other {@code --format} (exit 2) before the verb runs,
     * so no verb silently prints a table for {@code csv}. Verbs whose output is a table add csv and markdown.
     */
    Set<Format> formats() {
        return EnumSet.of(Format.table, Format.json);
    }

    /** Throws (bad input) unless this verb writes {@link #format}. */
    void checkFormat() {
        if (!formats().contains(format)) {
            throw new CliException(ExitCodes.BAD_INPUT, "'mona " + spec.qualifiedName(" ").replaceFirst("^mona ", "")
                    + "' does not write " + format + "; use --format " + formats().stream().map(Enum::name)
                    .collect(java.util.stream.Collectors.joining(" or ")));
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    ClusterConfig config() {
        return ClusterConfig.load(configFile, Main.environment());
    }

    Session session(boolean startEmbedded) {
        return Session.open(config(), startEmbedded);
    }

    /**
     * A task name the catalogue does not know may be a task spec added with 'mona tasks add': resolved from the
     * store (a configured or running server's, or local mode's store when it exists on disk), it joins this
     * process's catalogue under its versioned name, which is returned. Catalogue names, spec file paths and names no
     * store could hold come back unchanged.
     */
    String storedTask(String task) {
        if (dev.mona.core.task.spec.TaskSpecFile.isSpecPath(task)) {
            return withStoreData(task);
        }
        try {
            return dev.mona.core.task.TaskCatalog.get(task).name();
        } catch (dev.mona.core.task.UnknownTaskException e) {
            ClusterConfig cfg = config();
            boolean store = !cfg.local() || dev.mona.workers.ServerInfo.find(cfg.dataDir()).isPresent()
                    || java.nio.file.Files.isDirectory(cfg.dataDir().resolve("s3"));
            if (!store) {
                // no store that could hold an added task: the name is unknown, and nothing is started or written
                return task;
            }
            try (Session s = session(true)) {
                String name = dev.mona.activities.stage.TaskStage.describe(
                        dev.mona.activities.stage.TaskStage.ensure(s.store(), task)).name();
                dev.mona.activities.stage.TaskStage.fetchFromStore(s.store(), name);
                return name;
            }
        }
    }

    /**
     * A spec file whose data files include objects of the store ({@code s3://}): they are copied into the local
     * cache first, so that the checks before submission read them as the workers will. Returns {@code specPath}.
     */
    String withStoreData(String specPath) {
        String name = dev.mona.activities.stage.TaskStage.describe(specPath).name();
        if (!dev.mona.activities.stage.TaskStage.storeFiles(name).isEmpty()) {
            try (Session s = session(true)) {
                dev.mona.activities.stage.TaskStage.fetchFromStore(s.store(), name);
            }
        }
        return specPath;
    }

    boolean json() {
        return format == Format.json;
    }

    /** One JSON value on one line of stdout. */
    void printJson(Object o) {
        try {
            out().println(JSON.writeValueAsString(o));
            out().flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A progress line on stderr (never on stdout, which carries the command's result). */
    void note(String line) {
        err().println(line);
        err().flush();
    }
}
