package dev.mona.activities;

import dev.mona.activities.stage.TaskStage;
import dev.mona.core.config.ConfigException;
import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunConfig;
import dev.mona.core.config.RunContext;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.TransferMethod;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Core's {@link ConfigKeys} for the activities and the CLI: the run configuration of a request, with configuration
 * mistakes turned into bad input (non-retryable, exit code 2).
 */
public final class RunConfigs {
    private RunConfigs() {}

    /**
     * The configuration a stage of a run reads. {@code method} or {@code encoder} may be null for the data stages,
     * which then see only the keys that do not depend on them. Keys that do not apply to the run (a sweep's
     * overrides for its other runs) are left out: submission checked that each applies to some run.
     */
    public static RunConfig forStage(String task, TransferMethod method, String encoder,
                                     Map<String, String> overrides) {
        return bad(() -> ConfigKeys.forRun(new RunContext(TaskStage.spec(task), method == null ? null
                : method.label(), encoder), overrides));
    }

    /** The configuration of one run as submitted: every override must apply to its task, method and encoder. */
    public static RunConfig forSubmission(String task, TransferMethod method, String encoder,
                                          Map<String, String> overrides) {
        return bad(() -> ConfigKeys.resolve(new RunContext(TaskStage.spec(task), method.label(), encoder),
                overrides));
    }

    /** The overrides in canonical form (what a request carries, so that the run id is canonical). */
    public static TreeMap<String, String> canonical(Map<String, String> overrides) {
        return bad(() -> ConfigKeys.canonical(overrides));
    }

    /** Why {@code key} does not apply to the run, or null when it does. */
    public static String whyNot(String key, String task, TransferMethod method, String encoder) {
        return bad(() -> ConfigKeys.whyNot(key, new RunContext(TaskStage.spec(task), method.label(), encoder)));
    }

    /**
     * The stage-1 and stage-2 keys of {@code c}: what alignment and fine-tuning depend on beyond their input
     * artifacts (the data set and source digests cover {@code limit} and {@code source.*}; the analysis comes
     * later, except {@code probe.at-epochs}: fine-tuning keeps the weights of those epochs).
     */
    public static TreeMap<String, String> training(RunConfig c) {
        TreeMap<String, String> out = new TreeMap<>(c.values());
        out.keySet().removeIf(k -> k.equals("limit") || k.startsWith("source.") || k.startsWith("tsne.")
                || (k.startsWith("probe.") && !k.equals("probe.at-epochs")));
        return out;
    }

    /**
     * What stage 1 depends on: {@link #training} without {@code precision}, as stage 1 computes in float32 whatever
     * the run's precision (float32 and bf16 runs of the same request share it).
     */
    public static TreeMap<String, String> alignment(RunConfig c) {
        TreeMap<String, String> out = training(c);
        out.remove("precision");
        return out;
    }

    /** The keys of {@code c} that start with {@code prefix}. */
    public static TreeMap<String, String> prefixed(RunConfig c, String prefix) {
        TreeMap<String, String> out = new TreeMap<>(c.values());
        out.keySet().removeIf(k -> !k.startsWith(prefix));
        return out;
    }

    private static <T> T bad(Supplier<T> body) {
        try {
            return body.get();
        } catch (ConfigException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}
