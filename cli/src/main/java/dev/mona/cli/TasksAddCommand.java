package dev.mona.cli;

import dev.mona.activities.stage.TaskStage;
import dev.mona.core.task.spec.TaskSpecFile;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mona tasks add SPEC.yaml}: checks a task spec and its data, then stores the spec for every worker. */
@Command(name = "add", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Check a task spec file and its data (shapes, dtypes, NaN/Inf, labels, split sizes) and store "
                + "the spec in the artifact store, so that 'mona run NAME' works on any machine of the deployment.",
                "Local data files must be readable by the workers at the same path (or use https:// with sha256)."})
final class TasksAddCommand extends Verb {
    @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "Task spec file (see the README).")
    Path file;

    @Override
    public Integer call() {
        if (!TaskSpecFile.isSpecPath(file.toString())) {
            throw new CliException(ExitCodes.BAD_INPUT, file + " is not a task spec file: give a .yaml or .yml file");
        }
        // everything is checked before anything is written
        String task = TaskStage.describe(withStoreData(file.toString())).name();
        TaskSpecFile spec = TaskStage.specFile(task).orElseThrow();
        List<String> warnings = TaskStage.check(task, spec.spec().train().batchSize(), 0);
        String name = spec.baseName();
        String versioned;
        try (Session s = session(true)) {
            versioned = TaskStage.publish(s.store(), task);
        }
        warnings.forEach(w -> note("mona: warning: " + w));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("task", versioned);
        out.put("key", TaskStage.specKey(versioned));
        out.put("warnings", warnings);
        if (json()) {
            printJson(out);
        } else {
            out().println("task     " + name + " (" + versioned + ")");
            out().println("stored   " + TaskStage.specKey(versioned));
            out().flush();
        }
        return ExitCodes.OK;
    }
}
