package dev.mona.cli;

import dev.mona.activities.Settings;
import dev.mona.activities.stage.TaskStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

@Command(name = "tasks", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "List the task catalogue (no server needed); --keys lists the configuration keys of --set.")
final class TasksCommand extends Verb {
    @Option(names = "--keys", description = "List the configuration keys and their defaults instead.")
    boolean keys;

    @Override
    public Integer call() {
        if (keys) {
            if (json()) {
                printJson(Settings.KNOWN.entrySet().stream().map(e -> Map.of("key", e.getKey(), "default",
                        e.getValue()[0], "meaning", e.getValue()[1])).toList());
            } else {
                Settings.KNOWN.forEach((k, v) -> out().printf("%-16s %-8s %s%n", k, v[0], v[1]));
            }
            out().flush();
            return ExitCodes.OK;
        }
        List<TaskStage.TaskListing> tasks = TaskStage.catalogue();
        switch (format) {
            case json -> printJson(tasks);
            case csv -> {
                out().println("name,family,modality,input_shape,classes,kind,metric,encoder,offline,description");
                tasks.forEach(t -> out().println(t.name() + "," + t.family() + "," + t.modality() + "," + shape(t)
                        + "," + t.classes() + "," + t.kind() + "," + t.metric() + "," + t.encoder() + ","
                        + t.offline() + ",\"" + t.description().replace("\"", "'") + "\""));
            }
            case markdown -> {
                out().println("| task | modality | input | classes | metric | offline | description |");
                out().println("|---|---|---|---|---|---|---|");
                tasks.forEach(t -> out().println("| " + t.name() + " | " + t.modality() + " | " + shape(t) + " | "
                        + t.classes() + " | " + t.metric() + " | " + t.offline() + " | " + t.description() + " |"));
            }
            default -> tasks.forEach(t -> out().printf("%-34s %-10s %-10s %-12s %s%n", t.name(), t.modality(),
                    shape(t), t.metric(), t.description()));
        }
        out().flush();
        return ExitCodes.OK;
    }

    private static String shape(TaskStage.TaskListing t) {
        return String.join("x", t.inputShape().stream().map(String::valueOf).toList());
    }
}
