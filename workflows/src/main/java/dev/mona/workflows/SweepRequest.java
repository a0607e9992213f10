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
 * @param overrides     configuration overrides, each applied to every run it applies to
 * @param maxConcurrent sliding-window size: runs in flight at once
 * @param noCache       recompute every stage
 * @param tuning        timeouts and retry backoff, {@code null} for defaults
 * @param inapplicable  per child ({@link #cell}: task, method and source) the override keys that do not apply to it
 *                      and are left out of its request, so that its run id and manifest are those of the same run
 *                      submitted alone; decided at submission, where the configuration rules live (a request
 *                      without it, such as one of a sweep started before it existed, gives every child every
 *                      override, as before)
 */
public record SweepRequest(String name, List<String> tasks, List<Long> seeds, List<TransferMethod> methods,
                           String source, Map<String, String> overrides, int maxConcurrent, boolean noCache,
                           RetryTuning tuning, Map<String, List<String>> inapplicable) {
    public SweepRequest {
        overrides = overrides == null ? new TreeMap<>() : new TreeMap<>(overrides);
        TreeMap<String, List<String>> dropped = new TreeMap<>();
        if (inapplicable != null) {
            for (Map.Entry<String, List<String>> e : inapplicable.entrySet()) {
                if (!overrides.keySet().containsAll(e.getValue())) {
                    throw new InvalidRequestException("the sweep leaves keys " + e.getValue() + " out of " + e.getKey()
                            + " that are not among its overrides " + overrides.keySet());
                }
                if (!e.getValue().isEmpty()) {
                    dropped.put(e.getKey(), List.copyOf(new java.util.TreeSet<>(e.getValue())));
                }
            }
        }
        inapplicable = dropped;
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

    /** A sweep whose children all get every override (see {@code inapplicable}). */
    public SweepRequest(String name, List<String> tasks, List<Long> seeds, List<TransferMethod> methods,
                        String source, Map<String, String> overrides, int maxConcurrent, boolean noCache,
                        RetryTuning tuning) {
        this(name, tasks, seeds, methods, source, overrides, maxConcurrent, noCache, tuning, null);
    }

    /** The key of a child in {@code inapplicable}: {@code task|method|source}. */
    public static String cell(String task, TransferMethod method, String source) {
        return task + "|" + method.label() + "|" + source;
    }

    /** This sweep with {@code inapplicable} set. */
    public SweepRequest leavingOut(Map<String, List<String>> inapplicable) {
        return new SweepRequest(name, tasks, seeds, methods, source, overrides, maxConcurrent, noCache, tuning,
                inapplicable);
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
                    Map<String, String> own = new TreeMap<>(overrides);
                    own.keySet().removeAll(inapplicable.getOrDefault(cell(t, m, src), List.of()));
                    for (Long s : seeds) {
                        out.add(new TransferRequest(t, m, s, src, own, noCache, tuning));
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
