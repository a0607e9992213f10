package dev.mona.cli;

import dev.mona.activities.Settings;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.TransferRequest;

/** The checks every run passes before anything is submitted or written: task, overrides and source encoder. */
final class RequestChecks {
    private RequestChecks() {}

    /** Throws (bad input) when the run's task, overrides or source encoder is unknown or malformed. */
    static void check(TransferRequest r) {
        TaskStage.describe(r.task());
        Settings.resolve(r.overrides());
        SourceStage.resolve(r.source(), r.task());
    }

    /** {@link #check(TransferRequest)} for every run of the sweep. */
    static void check(SweepRequest r) {
        for (TransferRequest run : r.runs()) {
            check(run);
        }
    }
}
