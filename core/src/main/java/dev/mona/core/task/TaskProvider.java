package dev.mona.core.task;

import java.util.List;

/**
 * A source of extra catalogue entries, discovered with {@link java.util.ServiceLoader} (list the implementation in
 * {@code META-INF/services/dev.mona.core.task.TaskProvider}); the offline tasks use it or call
 * {@link TaskCatalog#register} directly.
 */
public interface TaskProvider {
    List<TaskCatalog.Entry> tasks();
}
