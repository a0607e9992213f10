package dev.mona.activities.stage;

import dev.mona.activities.Settings;
import dev.mona.activities.interim.InterimTasks;
import dev.mona.core.data.TaskData;
import dev.mona.workflows.InvalidRequestException;

import java.util.List;

/** Fetch stage: the task catalogue and the loading of a task's splits. */
public final class TaskStage {
    private TaskStage() {}

    /** Until core's catalogue and readers land: generated tasks (see {@link InterimTasks}). */
    public static final String IMPLEMENTATION = "interim:generated-tasks-v1";

    /** One catalogue entry, as {@code mona tasks} shows it. */
    public record TaskListing(String name, String modality, List<Long> inputShape, int classes, String metric,
                              boolean offline, String description) {
    }

    public static List<TaskListing> catalogue() {
        return InterimTasks.ALL.stream().map(TaskStage::listing).toList();
    }

    /** The catalogue entry, or a typed error naming the task and the known ones. */
    public static TaskListing describe(String task) {
        InterimTasks.Info info = InterimTasks.info(task);
        if (info == null) {
            throw new InvalidRequestException("unknown task '" + task + "'; known tasks: " + String.join(", ",
                    catalogue().stream().map(TaskListing::name).toList()) + " (see 'mona tasks')");
        }
        return listing(info);
    }

    /** The splits of {@code task} for {@code seed}. */
    public static TaskData load(String task, Settings settings, long seed) {
        describe(task);
        return InterimTasks.generate(task, settings.integer("samples"), seed);
    }

    /** The configuration keys the stored data depends on. */
    public static String[] configKeys() {
        return new String[]{"samples"};
    }

    private static TaskListing listing(InterimTasks.Info i) {
        return new TaskListing(i.name(), i.modality(), java.util.Arrays.stream(i.inputShape()).boxed().toList(),
                i.classes(), "ERROR_RATE", true, i.description());
    }
}
