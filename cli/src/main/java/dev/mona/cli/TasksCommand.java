package dev.mona.cli;

import dev.mona.activities.RunConfigs;
import dev.mona.core.config.ConfigKey;
import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunConfig;
import dev.mona.workflows.TransferMethod;
import dev.mona.activities.stage.TaskStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Command(name = "tasks", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        subcommands = {TasksAddCommand.class, TasksShowCommand.class},
        description = {"List the task catalogue (no server needed); --keys lists the configuration keys of --set.",
                "'tasks add SPEC.yaml' adds a task over your own data; 'tasks show NAME' shows one task."})
final class TasksCommand extends Verb {
    @Override
    java.util.Set<Format> formats() {
        return java.util.EnumSet.allOf(Format.class);
    }

    @Option(names = "--keys", description = "List the configuration keys (type, range, default, meaning) instead.")
    boolean keys;

    @Override
    public Integer call() {
        if (keys) {
            printKeys();
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

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** Every configuration key: type and range, default, where it applies, meaning (json: per-task defaults). */
    private void printKeys() {
        switch (format) {
            case json -> printJson(ConfigKeys.ALL.stream().map(k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", k.name());
                m.put("type", k.type().describe());
                m.put("default", k.defaultDoc());
                m.put("appliesTo", k.applies().toString());
                m.put("meaning", k.meaning());
                if (k.defaultDoc().startsWith("task's")) {
                    m.put("taskDefaults", taskDefaults(k.name()));
                }
                return m;
            }).toList());
            case markdown -> out().print(keysMarkdown());
            case csv -> {
                out().println("key,type,default,applies_to,meaning");
                ConfigKeys.ALL.forEach(k -> out().println(String.join(",", k.name(), quoted(k.type().describe()),
                        quoted(k.defaultDoc()), quoted(k.applies().toString()), quoted(k.meaning()))));
            }
            default -> ConfigKeys.ALL.forEach(k -> out().printf("%-20s %-24s %-22s %-25s %s%n", k.name(),
                    k.type().describe(), k.defaultDoc(), k.applies(), k.meaning()));
        }
        out().flush();
    }

    /** The README's configuration table, generated from {@link ConfigKeys}. */
    static String keysMarkdown() {
        StringBuilder b = new StringBuilder("| key | type and range | default | applies to | meaning |\n");
        b.append("|---|---|---|---|---|\n");
        for (ConfigKey k : ConfigKeys.ALL) {
            b.append("| `").append(k.name()).append("` | ").append(k.type().describe().replace("|", "\\|"))
                    .append(" | ").append(k.defaultDoc()).append(" | ").append(k.applies()).append(" | ")
                    .append(k.meaning()).append(" |\n");
        }
        return b.toString();
    }

    /** The default of a task-dependent key for every catalogue task it applies to (with a method it applies to). */
    private static Map<String, String> taskDefaults(String key) {
        List<String> methods = ConfigKeys.get(key).applies().methods();
        TransferMethod method = methods.isEmpty() ? TransferMethod.FT : TransferMethod.parse(methods.get(0));
        Map<String, String> out = new TreeMap<>();
        for (TaskStage.TaskListing t : TaskStage.catalogue()) {
            RunConfig c = RunConfigs.forStage(t.name(), method, t.encoder(), Map.of());
            if (c.values().containsKey(key)) {
                out.put(t.name(), c.value(key));
            }
        }
        return out;
    }

    private static String shape(TaskStage.TaskListing t) {
        return String.join("x", t.inputShape().stream().map(String::valueOf).toList());
    }
}
