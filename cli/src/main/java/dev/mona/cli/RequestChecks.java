package dev.mona.cli;

import dev.mona.activities.RunConfigs;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.core.config.RunConfig;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.TransferRequest;

import java.util.List;

/**
 * The checks every run passes before anything is submitted or written: task, source encoder and configuration.
 * They return the request in canonical form (task as the catalogue spells it, the default source left implicit,
 * canonical override values), so that equal requests spelled differently get the same run id.
 */
final class RequestChecks {
    private RequestChecks() {}

    /**
     * Throws (bad input) when the run's task or source encoder is unknown, or an override is unknown, malformed,
     * out of range or does not apply to the task, method or source; returns the request with canonical overrides.
     */
    static TransferRequest check(TransferRequest r) {
        resolve(r);
        // the catalogue's spelling of the task, no source when it is the task's default, canonical values
        String task = TaskStage.describe(r.task()).name();
        String source = SourceStage.resolve(r.source(), task).equals(SourceStage.resolve("", task)) ? ""
                : r.source();
        return new TransferRequest(task, r.method(), r.seed(), source, RunConfigs.canonical(r.overrides()),
                r.noCache(), r.tuning());
    }

    /** The run's resolved configuration (what {@code run --dry-run} shows); the checks of {@link #check}. */
    static RunConfig resolve(TransferRequest r) {
        TaskStage.describe(r.task());
        String encoder = SourceStage.resolve(r.source(), r.task());
        return RunConfigs.forSubmission(r.task(), r.method(), encoder, r.overrides());
    }

    /**
     * {@link #check(TransferRequest)} for every run of the sweep, except that an override needs to apply to some
     * run of the sweep only (a sweep over ft and mona may set {@code align.steps}); returns the sweep with
     * canonical overrides.
     */
    static SweepRequest check(SweepRequest r) {
        List<TransferRequest> runs = r.runs();
        for (TransferRequest run : runs) {
            TaskStage.describe(run.task());
            RunConfigs.forStage(run.task(), run.method(), SourceStage.resolve(run.source(), run.task()),
                    run.overrides());
        }
        for (String key : r.overrides().keySet()) {
            String why = null;
            for (TransferRequest run : runs) {
                why = RunConfigs.whyNot(key, run.task(), run.method(), SourceStage.resolve(run.source(), run.task()));
                if (why == null) {
                    break;
                }
            }
            if (why != null) {
                throw new InvalidRequestException("configuration key '" + key + "' applies to no run of the sweep: "
                        + why);
            }
        }
        return new SweepRequest(r.name(), r.tasks(), r.seeds(), r.methods(), r.source(),
                RunConfigs.canonical(r.overrides()), r.maxConcurrent(), r.noCache(), r.tuning());
    }
}
