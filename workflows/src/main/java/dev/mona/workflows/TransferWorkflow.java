package dev.mona.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One transfer run: fetch data, prepare the source encoder, align the embedder (Emb, ORCA, MoNA), fine-tune,
 * linear probe, export to ONNX, write the provenance manifest.
 */
@WorkflowInterface
public interface TransferWorkflow {
    @WorkflowMethod
    TransferResult run(TransferRequest request);

    /** Stage in progress; epoch-level progress is in the pending activity's heartbeat. */
    @QueryMethod
    TransferProgress progress();
}
