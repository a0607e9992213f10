package dev.mona.workflows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep: every combination of tasks x seeds x methods, as child transfer workflows.
 *
 * @param name          sweep name (part of its id and keys)
 * @param tasks         target tasks
 * @param seeds         seeds
 * @param methods       methods
 * @param source        source encoder, or empty for each task's default
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

    /** The child requests in a fixed order: task, then method, then seed. */
    public List<TransferRequest> runs() {
        List<TransferRequest> out = new java.util.ArrayList<>();
        for (String t : tasks) {
            for (TransferMethod m : methods) {
                for (Long s : seeds) {
                    out.add(new TransferRequest(t, m, s, source, overrides, noCache, tuning));
                }
            }
        }
        return out;
    }

    public String workflowId() {
        return WorkflowIds.sweep(this);
    }
}
