package dev.mona.workflows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep: every combination of tasks x sources x methods x seeds, as child transfer workflows.
 *
 * @param name          sweep name (part of its id and keys)
 * @param tasks         target tasks
 * @param seeds         seeds
 * @param methods       methods
 * @param source        the sources: one name for every task (empty: each task's offline source), or per task
 *                      {@code task=a|b;task2=c} (the canonical form the command line writes; an empty name is that
 *                      task's offline source), see {@link #sourcesFor}
 * @param overrides     configuration overrides applied to every run
 * @param maxConcurrent sliding-window size: runs in flight at once
 * @param noCache       recompute every stage
 * @param tuning        timeouts and retry backoff, {@code null} for defaults
 */
public record SweepRequest(String name, List<String> tasks, List<Long> seeds, List<TransferMethod> methods,
                           String source, Map<String, String> overrides, int maxConcurrent, boolean noCache,
                           RetryTuning tuning) {
    public SweepRequest {
        overrides = overrides == null ? new TreeMap<>() : new TreeMap<>(overrides);
        source = source == null ? "" : source;
        tasks = List.copyOf(tasks);
        seeds = List.copyOf(seeds);
        methods = List.copyOf(methods);
        if (tasks.isEmpty() || seeds.isEmpty() || methods.isEmpty()) {
            throw new InvalidRequestException("a sweep needs at least one task, one seed and one method (tasks="
                    + tasks + ", seeds=" + seeds + ", methods=" + methods + ")");
        }
        // a duplicate would give two children one id: one result would overwrite the other
        unique("tasks", tasks);
        unique("seeds", seeds);
        unique("methods", methods);
        if (maxConcurrent <= 0) {
            throw new InvalidRequestException("maxConcurrent must be positive, got " + maxConcurrent);
        }
    }

    private static void unique(String axis, List<?> values) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (Object v : values) {
            if (!seen.add(v)) {
                throw new InvalidRequestException("the sweep's " + axis + " list " + v + " twice (" + values
                        + "): each combination runs once, remove the duplicate");
            }
        }
    }

    /** The child requests in a fixed order: task, then source, then method, then seed. */
    public List<TransferRequest> runs() {
        List<TransferRequest> out = new java.util.ArrayList<>();
        for (String t : tasks) {
            for (String src : sourcesFor(t)) {
                for (TransferMethod m : methods) {
                    for (Long s : seeds) {
                        out.add(new TransferRequest(t, m, s, src, overrides, noCache, tuning));
                    }
                }
            }
        }
        return out;
    }

    /** The sources {@code task} runs with (the sweep's source axis for that task). */
    public List<String> sourcesFor(String task) {
        if (!source.contains("=")) {
            return List.of(source);
        }
        for (String entry : source.split(";")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).equals(task)) {
                return List.of(entry.substring(eq + 1).split("\\|", -1));
            }
        }
        throw new InvalidRequestException("the sweep's sources '" + source + "' name none for task " + task);
    }

    public String workflowId() {
        return WorkflowIds.sweep(this);
    }
}
