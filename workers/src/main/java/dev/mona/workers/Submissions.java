package dev.mona.workers;

import dev.mona.workflows.Queues;
import dev.mona.workflows.RunIndex;
import dev.mona.workflows.PredictRequest;
import dev.mona.workflows.PredictWorkflow;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.SweepWorkflow;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;

import java.util.Map;

/**
 * Starting runs idempotently. The workflow id is derived from the request, so submitting the same request again
 * attaches to the run in progress (or to the finished one) instead of starting a duplicate; a failed or cancelled
 * run is started afresh; {@code --no-cache} starts afresh once the previous run has closed. Every start carries
 * the {@link RunIndex} memo and summary, and mona's search attributes when the server defines them
 * ({@link SearchAttributeSetup#ensure}); without them the run starts with its memo only, and nothing else changes.
 */
public final class Submissions {
    private Submissions() {}

    /**
     * The run's id, whether this submit attached to an existing run and whether it was started with mona's search
     * attributes (false when it attached or the server does not define them).
     */
    public record Submission(String workflowId, boolean attached, boolean indexed) {
    }

    private static WorkflowOptions options(String id, boolean noCache, Map<String, Object> memo, String summary,
                                           SearchAttributes attributes) {
        WorkflowOptions.Builder b = WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(Queues.CPU)
                .setWorkflowIdReusePolicy(noCache ? WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
                        : WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .setMemo(memo).setStaticSummary(summary);
        if (attributes != null) {
            b.setTypedSearchAttributes(attributes);
        }
        return b.build();
    }

    /** Starts (or attaches to) the run, with mona's search attributes when the server defines them. */
    public static Submission transfer(WorkflowClient client, TransferRequest r) {
        return transfer(client, r, SearchAttributeSetup.ensure(client));
    }

    /** Starts (or attaches to) the run; {@code indexed}: with mona's search attributes (the server defines them). */
    public static Submission transfer(WorkflowClient client, TransferRequest r, boolean indexed) {
        String id = r.workflowId();
        TransferWorkflow wf = client.newWorkflowStub(TransferWorkflow.class, options(id, r.noCache(),
                RunIndex.memo(r, ""), RunIndex.summary(r), indexed ? RunIndex.attributes(r, "") : null));
        return start(id, () -> WorkflowClient.start(wf::run, r), indexed);
    }

    /** Starts (or attaches to) the sweep, with mona's search attributes when the server defines them. */
    public static Submission sweep(WorkflowClient client, SweepRequest r) {
        String id = r.workflowId();
        boolean indexed = SearchAttributeSetup.ensure(client);
        SweepWorkflow wf = client.newWorkflowStub(SweepWorkflow.class, options(id, r.noCache(), RunIndex.memo(r),
                RunIndex.summary(r), indexed ? RunIndex.attributes(id) : null));
        return start(id, () -> WorkflowClient.start(wf::run, r), indexed);
    }

    /**
     * Starts (or attaches to) a prediction job. A failed job starts again under its id and reuses the shards it
     * finished; a prediction job is not a run, so it carries no run memo or search attributes.
     */
    public static Submission predict(WorkflowClient client, PredictRequest r) {
        String id = r.workflowId();
        PredictWorkflow wf = client.newWorkflowStub(PredictWorkflow.class, options(id, false, Map.of(),
                "predict with " + r.runId() + " on " + r.inputPrefix(), null));
        return start(id, () -> WorkflowClient.start(wf::run, r), false);
    }

    private static Submission start(String id, Runnable starter, boolean indexed) {
        try {
            starter.run();
            return new Submission(id, false, indexed);
        } catch (WorkflowExecutionAlreadyStarted e) {
            return new Submission(id, true, false);
        }
    }
}
