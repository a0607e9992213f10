package dev.mona.core.offline;

import dev.mona.core.task.LoadedTask;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskProvider;
import dev.mona.core.task.TaskSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds the {@link OfflineTasks} to the {@link TaskCatalog} (listed in
 * {@code META-INF/services/dev.mona.core.task.TaskProvider}). Data come from {@link OfflineData#fromEnvironment()}.
 */
public final class OfflineTaskProvider implements TaskProvider {
    @Override
    public List<TaskCatalog.Entry> tasks() {
        List<TaskCatalog.Entry> out = new ArrayList<>();
        for (TaskSpec spec : OfflineTasks.specs()) {
            out.add(new TaskCatalog.Entry(spec, (s, files, options) -> LoadedTask.of(
                    OfflineTasks.load(s.name(), OfflineData.fromEnvironment(), options.seed(), options.limit()))));
        }
        return out;
    }
}
