package dev.mona.cli;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;

@Command(name = "export", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Download a finished run's ONNX model.")
final class ExportCommand extends Verb {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id, or a prefix that starts exactly one.")
    String id;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Target file (default: <run-id>.onnx).")
    Path out;

    @Override
    public Integer call() {
        RequestChecks.id(id);
        try (Session s = session(false)) {
            id = RunIds.resolve(s, id);
            String key = ArtifactKeys.onnx(id);
            if (!s.store().exists(key)) {
                String why = s.store().exists(ArtifactKeys.manifest(id))
                        ? "the run finished without an ONNX file (its manifest names the export implementation)"
                        : "no finished run with that id (see 'mona ls')";
                throw new CliException(ExitCodes.NOT_FOUND, "no ONNX model for run '" + id + "': " + why);
            }
            Path target = out == null ? Path.of(id + ".onnx") : out;
            s.store().download(key, target, "choose a writable file with -o");
            if (json()) {
                printJson(Map.of("workflowId", id, "key", key, "file", target.toAbsolutePath().toString()));
            } else {
                out().println(target.toAbsolutePath());
                out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
