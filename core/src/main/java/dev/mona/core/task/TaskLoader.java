package dev.mona.core.task;

import java.io.IOException;

/**
 * Turns a task's local files into its splits, applying the preprocessing of ORCA's data loader for the task
 * (subsampling, normalisers, crops, window strides, splits). Offline tasks generate or read their data from
 * installed packages and ignore {@code files}.
 */
@FunctionalInterface
public interface TaskLoader {
    LoadedTask load(TaskSpec spec, TaskFiles files, LoadOptions options) throws IOException;
}
