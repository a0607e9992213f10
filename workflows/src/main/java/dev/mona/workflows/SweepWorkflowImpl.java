package dev.mona.workflows;

import dev.mona.workflows.stage.DataActivities;
import dev.mona.workflows.stage.SweepTableRequest;
import dev.mona.workflows.stage.SweepTableResult;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
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
 * finishes. A failed run becomes a {@code failed} row; the sweep itself completes with the whole table.
 */
public class SweepWorkflowImpl implements SweepWorkflow {
    private int total;
    private final Map<String, Promise<TransferResult>> running = new LinkedHashMap<>();
    private final Map<String, TransferRequest> requests = new LinkedHashMap<>();
    private final List<SweepRow> rows = new ArrayList<>();

    @Override
    public SweepResult run(SweepRequest r) {
        String sweepId = Workflow.getInfo().getWorkflowId();
        Deque<TransferRequest> pending = new ArrayDeque<>(r.runs());
        total = pending.size();
        while (!pending.isEmpty() || !running.isEmpty()) {
            while (running.size() < r.maxConcurrent() && !pending.isEmpty()) {
                start(pending.poll());
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

    private void start(TransferRequest child) {
        String id = child.workflowId();
        ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(Queues.CPU)
                // a finished identical run is reused; a failed one is retried
                .setWorkflowIdReusePolicy(child.noCache()
                        ? WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
                        : WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .build();
        TransferWorkflow stub = Workflow.newChildWorkflowStub(TransferWorkflow.class, options);
        requests.put(id, child);
        running.put(id, Async.function(stub::run, child));
    }

    private static SweepRow row(TransferRequest q, String id, Promise<TransferResult> p) {
        RuntimeException failure = p.getFailure();
        if (failure == null) {
            TransferResult t = p.get();
            return new SweepRow(q.task(), q.method().label(), q.seed(), id, "completed", t.metricName(),
                    t.testMetric(), t.probeErrorBefore(), t.probeErrorAfter(), t.epochs(), "");
        }
        return new SweepRow(q.task(), q.method().label(), q.seed(), id, "failed", "", null, null, null, 0, rootMessage(failure));
    }

    static String rootMessage(Throwable t) {
        return FailureMessages.root(t);
    }

    @Override
    public SweepProgress progress() {
        return new SweepProgress(total, List.copyOf(running.keySet()), List.copyOf(rows));
    }
}
