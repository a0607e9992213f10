package dev.mona.cli;

import dev.mona.activities.stage.TaskStage;
import dev.mona.core.task.spec.TaskSpecFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code mona tasks show NAME}: one task, a catalogue task or a spec task with its canonical spec. */
@Command(name = "show", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Show one task: a catalogue name, a name added with 'mona tasks add' (its latest version) "
                + "or a task spec file; for a spec task also its canonical spec (absolute paths, SHA-256 of every "
                + "file).")
final class TasksShowCommand extends Verb {
    @Parameters(index = "0", paramLabel = "NAME", description = "Task name or spec file.")
    String name;

    @Override
    public Integer call() {
        TaskStage.TaskListing t = TaskStage.describe(storedTask(name));
        Optional<TaskSpecFile> spec = TaskStage.specFile(t.name());
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", t);
            spec.ifPresent(f -> out.put("spec", f.canonicalYaml()));
            printJson(out);
            return ExitCodes.OK;
        }
        out().println("task      " + t.name());
        out().println("family    " + t.family() + ", modality " + t.modality() + ", kind " + t.kind());
        out().println("input     " + t.inputShape() + (t.classes() > 0 ? ", " + t.classes() + " classes" : ""));
        out().println("metric    " + t.metric() + ", source " + t.encoder());
        out().println("about     " + t.description());
        spec.ifPresent(f -> {
            out().println("spec      " + TaskStage.specKey(f.versionedName()));
            out().print(f.canonicalYaml());
        });
        out().flush();
        return ExitCodes.OK;
    }
}
