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
