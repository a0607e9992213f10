package dev.mona.activities.stage;

import dev.mona.core.task.LoadedTask;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.task.LoadOptions;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.task.UnknownTaskException;
import dev.mona.workflows.InvalidRequestException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fetch stage: the task catalogue and the loading of a task's splits. Catalogue tasks (published NAS-Bench-360 and
 * PDEBench tasks, offline tasks) come from core's {@link TaskCatalog}.
 */
public final class TaskStage {
    private TaskStage() {}

    /** Names the catalogue code in stage-cache keys; v2: the stored data set carries its evaluation protocol. */
    public static final String IMPLEMENTATION = "core:task-catalog-v2";

    /** One catalogue entry, as {@code mona tasks} shows it. */
    public record TaskListing(String name, String family, String modality, List<Long> inputShape, int classes,
                              String kind, String metric, String encoder, boolean offline, String description) {
    }

    public static List<TaskListing> catalogue() {
        List<TaskListing> out = new ArrayList<>();
        for (TaskSpec t : TaskCatalog.all()) {
            out.add(listing(t));
        }
        return out;
    }

    /** Core's specification of a catalogue task. */
    public static TaskSpec spec(String task) {
        try {
            return TaskCatalog.get(task);
        } catch (UnknownTaskException e) {
            throw new InvalidRequestException(e.getMessage() + " (see 'mona tasks')");
        }
    }

    /** The catalogue entry, or a typed error naming the task and the known ones. */
    public static TaskListing describe(String task) {
        try {
            return listing(TaskCatalog.get(task));
        } catch (UnknownTaskException e) {
            throw new InvalidRequestException("unknown task '" + task + "'; known tasks: " + String.join(", ",
                    catalogue().stream().map(TaskListing::name).toList()) + " (see 'mona tasks')");
        }
    }

    /** The splits of {@code task} for {@code seed}, with what its evaluation protocol needs. */
    public static LoadedTask load(String task, int limit, long seed) {
        describe(task);
        try {
            return TaskCatalog.load(task, DatasetFetcher.defaults(),
                    new LoadOptions(seed, 0.1, limit));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load task " + task + ": " + e.getMessage(), e);
        }
    }

    private static TaskListing listing(TaskSpec t) {
        return new TaskListing(t.name(), t.family(), t.modality(), Arrays.stream(t.inputShape()).boxed().toList(),
                t.classes(), t.kind().name(), t.metric().name(), SourceStage.encoderFor(t), t.offline(),
                t.description());
    }
}
