package dev.mona.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A sweep over tasks x seeds x methods: child {@link TransferWorkflow}s in a sliding window, then a results table. */
@WorkflowInterface
public interface SweepWorkflow {
    @WorkflowMethod
    SweepResult run(SweepRequest request);

    @QueryMethod
    SweepProgress progress();
}
