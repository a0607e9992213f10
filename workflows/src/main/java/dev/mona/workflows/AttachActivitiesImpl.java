package dev.mona.workflows;

import dev.mona.workflows.stage.AttachActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;

/**
 * Waits for an existing run through the client. The call long-polls the server and holds no workflow state, so a
 * lost attempt is simply retried; liveness heartbeats come from the CPU worker's interceptor.
 */
public final class AttachActivitiesImpl implements AttachActivities {
    /** Failure type of an attached run that failed: final, the sweep row carries the run's own cause. */
    public static final String RUN_FAILED = "AttachedRunFailed";
    private final WorkflowClient client;

    public AttachActivitiesImpl(WorkflowClient client) {
        this.client = client;
    }

    @Override
    public TransferResult awaitRun(String workflowId) {
        try {
            return client.newUntypedWorkflowStub(workflowId).getResult(TransferResult.class);
        } catch (WorkflowFailedException e) {
            throw ApplicationFailure.newNonRetryableFailure("run " + workflowId + " failed: "
                    + FailureMessages.root(e), RUN_FAILED);
        }
    }
}
