package dev.mona.cli;

import dev.mona.activities.store.ArtifactStore;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

@Command(name = "artifacts", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "List or download objects of the artifact store (key layout: see the README).",
        subcommands = {ArtifactsCommand.Ls.class, ArtifactsCommand.Get.class})
final class ArtifactsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a sub-command: ls or get");
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "List keys under PREFIX (default: everything).")
    static final class Ls extends Verb {
    @Override
    java.util.Set<Format> formats() {
        return java.util.EnumSet.allOf(Format.class);
    }

        @Parameters(index = "0", paramLabel = "PREFIX", defaultValue = "", description = "Key prefix, e.g. runs/ID/.")
        String prefix;

        @Override
        public Integer call() {
            RequestChecks.prefix(prefix);
            try (Session s = session(false)) {
                List<ArtifactStore.Entry> entries = s.store().list(prefix);
                switch (format) {
                    case json -> printJson(entries);
                    case csv -> {
                        out().println("key,size");
                        entries.forEach(e -> out().println(e.key() + "," + e.size()));
                    }
                    case markdown -> {
                        out().println("| key | size |\n|---|---|");
                        entries.forEach(e -> out().println("| " + e.key() + " | " + e.size() + " |"));
                    }
                    default -> entries.forEach(e -> out().printf("%10d  %s%n", e.size(), e.key()));
                }
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Download KEY to a file (default: its last path segment in the current directory).")
    static final class Get extends Verb {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE")
        Path out;

        @Override
        public Integer call() {
            RequestChecks.key(key);
            try (Session s = session(false)) {
                Path target = out == null ? Path.of(key.substring(key.lastIndexOf('/') + 1)) : out;
                s.store().download(key, target, "choose a writable file with -o");
                if (json()) {
                    printJson(Map.of("key", key, "file", target.toAbsolutePath().toString()));
                } else {
                    out().println(target.toAbsolutePath());
                    out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }
}
