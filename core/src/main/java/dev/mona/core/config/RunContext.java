package dev.mona.core.config;

import dev.mona.core.task.TaskSpec;

import java.util.List;
import java.util.Locale;

/**
 * What a configuration is resolved for: the task, the transfer method and the source encoder. The data stages know
 * only part of it: a {@code null} method or encoder leaves the keys that depend on it out of the resolution.
 *
 * @param task    the catalogue task (its published stage-2 settings are the defaults)
 * @param method  {@code scratch}, {@code ft}, {@code emb}, {@code orca} or {@code mona}; {@code null}: not known
 * @param encoder source encoder name (one of {@link dev.mona.core.pretrained.SourceEncoder}); {@code null}: not known
 */
public record RunContext(TaskSpec task, String method, String encoder) {
    /** The method labels, in the order of the paper's tables. */
    public static final List<String> METHODS = List.of("scratch", "ft", "emb", "orca", "mona");

    public RunContext {
        if (task == null) {
            throw new IllegalArgumentException("a run context needs a task");
        }
        method = method == null ? null : method.toLowerCase(Locale.ROOT);
        if (method != null && !METHODS.contains(method)) {
            throw new ConfigException("unknown method '" + method + "'; choose one of " + String.join(", ", METHODS));
        }
    }
}
