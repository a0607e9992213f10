package dev.mona.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mona.workers.MonaConfig;
import dev.mona.workers.Session;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Base of every verb: the shared options, the configuration, the session and the output helpers. */
abstract class Verb implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "Output: table, json, csv or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file (default: $MONA_CONFIG, else ~/.config/mona/config.yaml).")
    Path configFile;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    MonaConfig config() {
        return MonaConfig.load(configFile, Main.environment());
    }

    Session session(boolean startEmbedded) {
        return Session.open(config(), startEmbedded);
    }

    boolean json() {
        return format == Format.json;
    }

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
