package dev.mona.workers;

import dev.mona.workflows.Queues;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.SweepWorkflow;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/**
 * Starting runs idempotently. The workflow id is derived from the request, so submitting the same request again
 * attaches to the run in progress (or to the finished one) instead of starting a duplicate; a failed or cancelled
 * run is started afresh; {@code --no-cache} starts afresh once the previous run has closed.
 */
public final class Submissions {
    private Submissions() {}

    /** The run's id and whether this submit attached to an existing run. */
    public record Submission(String workflowId, boolean attached) {
    }

    private static WorkflowOptions options(String id, boolean noCache) {
        return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(Queues.CPU)
                .setWorkflowIdReusePolicy(noCache ? WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
                        : WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .build();
    }

    public static Submission transfer(WorkflowClient client, TransferRequest r) {
        String id = r.workflowId();
        TransferWorkflow wf = client.newWorkflowStub(TransferWorkflow.class, options(id, r.noCache()));
        try {
            WorkflowClient.start(wf::run, r);
            return new Submission(id, false);
        } catch (WorkflowExecutionAlreadyStarted e) {
            return new Submission(id, true);
        }
    }

    public static Submission sweep(WorkflowClient client, SweepRequest r) {
        String id = r.workflowId();
        SweepWorkflow wf = client.newWorkflowStub(SweepWorkflow.class, options(id, r.noCache()));
        try {
            WorkflowClient.start(wf::run, r);
            return new Submission(id, false);
        } catch (WorkflowExecutionAlreadyStarted e) {
            return new Submission(id, true);
        }
    }
}
