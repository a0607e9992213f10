package dev.mona.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Batch prediction with a finished run's model over input files in the store: plan the shards (one per input
 * file), predict every shard as its own heartbeated GPU activity, write the manifest next to the outputs. A shard
 * lost with its worker is retried elsewhere; a finished shard is never computed again.
 */
@WorkflowInterface
public interface PredictWorkflow {
    @WorkflowMethod
    PredictResult run(PredictRequest request);
}
