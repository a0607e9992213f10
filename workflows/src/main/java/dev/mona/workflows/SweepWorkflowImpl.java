package dev.mona.workflows;

import dev.mona.workflows.stage.AttachActivities;
import dev.mona.workflows.stage.DataActivities;
import dev.mona.workflows.stage.SweepTableRequest;
import dev.mona.workflows.stage.SweepTableResult;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the sweep's child workflows in a sliding window of {@code maxConcurrent}: a new run starts as soon as one
 * finishes. A run that already exists under a child's id (completed, or running for another caller) is reused
 * through {@link AttachActivities} instead of being started again. A failed run becomes a {@code failed} row with its
 * cause; the sweep itself completes with the whole table.
 */
public class SweepWorkflowImpl implements SweepWorkflow {
    private int total;
    private final Map<String, Promise<TransferResult>> running = new LinkedHashMap<>();
    private final Map<String, TransferRequest> requests = new LinkedHashMap<>();
    private final List<SweepRow> rows = new ArrayList<>();
    private String sweepId;
    /** Started with mona's search attributes: its children get them too. */
    private boolean indexed;

    @Override
    public SweepResult run(SweepRequest r) {
        sweepId = Workflow.getInfo().getWorkflowId();
        indexed = RunIndex.indexed();
        Deque<TransferRequest> pending = new ArrayDeque<>(r.runs());
        total = pending.size();
        AttachActivities attach = Workflow.newActivityStub(AttachActivities.class,
                StageOptions.attach(RetryTuning.orDefault(r.tuning())));
        while (!pending.isEmpty() || !running.isEmpty()) {
            while (running.size() < r.maxConcurrent() && !pending.isEmpty()) {
                start(pending.poll(), attach);
            }
            // wait for any child, succeeded or failed (a failed promise would throw out of anyOf)
            List<Promise<Void>> settled = new ArrayList<>();
            running.values().forEach(p -> settled.add(p.handle((v, e) -> null)));
            Promise.anyOf(settled).get();
            for (String id : List.copyOf(running.keySet())) {
                Promise<TransferResult> p = running.get(id);
                if (p.isCompleted()) {
                    running.remove(id);
                    rows.add(row(requests.get(id), id, p));
                }
            }
        }
        // the table in request order (task, method, seed), not completion order
        List<String> order = r.runs().stream().map(TransferRequest::workflowId).toList();
        rows.sort(java.util.Comparator.comparingInt(x -> order.indexOf(x.runId())));
        DataActivities cpu = Workflow.newActivityStub(DataActivities.class,
                StageOptions.cpu(RetryTuning.orDefault(r.tuning())));
        SweepTableResult table = cpu.writeSweepTable(new SweepTableRequest(sweepId, List.copyOf(rows)));
        return new SweepResult(sweepId, List.copyOf(rows), table.csvKey(), table.jsonKey(), table.plotKeys());
    }

    private void start(TransferRequest child, AttachActivities attach) {
        String id = child.workflowId();
        ChildWorkflowOptions.Builder options = ChildWorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setMemo(RunIndex.memo(child, sweepId))
                .setStaticSummary(RunIndex.summary(child))
                .setTaskQueue(Queues.CPU)
                // a failed identical run is started afresh; a completed or running one refuses the start and is
                // attached to below (with noCache only a running one)
                .setWorkflowIdReusePolicy(child.noCache()
                        ? WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
                        : WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL);
        if (indexed) {
            options.setTypedSearchAttributes(RunIndex.attributes(child, sweepId));
        }
        TransferWorkflow stub = Workflow.newChildWorkflowStub(TransferWorkflow.class, options.build());
        requests.put(id, child);
        CompletablePromise<TransferResult> result = Workflow.newPromise();
        Async.function(stub::run, child).handle((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (alreadyStarted(failure)) {
                result.completeFrom(Async.function(attach::awaitRun, id));
            } else {
                result.completeExceptionally(failure);
            }
            return null;
        });
        running.put(id, result);
    }

    /** The child's id is taken by a run that is running or completed (the reuse policy refused a new start). */
    private static boolean alreadyStarted(Throwable failure) {
        return failure instanceof ChildWorkflowFailure c && c.getCause() instanceof WorkflowExecutionAlreadyStarted;
    }

    private static SweepRow row(TransferRequest q, String id, Promise<TransferResult> p) {
        RuntimeException failure = p.getFailure();
        if (failure == null) {
            TransferResult t = p.get();
            return new SweepRow(q.task(), q.method().label(), q.seed(), id, "completed", t.metricName(),
                    t.testMetric(), t.probeErrorBefore(), t.probeErrorAfter(), t.epochs(), "", q.source());
        }
        return new SweepRow(q.task(), q.method().label(), q.seed(), id, "failed", "", null, null, null, 0, rootMessage(failure),
                q.source());
    }

    static String rootMessage(Throwable t) {
        return FailureMessages.root(t);
    }

    @Override
    public SweepProgress progress() {
        return new SweepProgress(total, List.copyOf(running.keySet()), List.copyOf(rows));
    }
}
