package dev.mona.workers;

import dev.mona.workflows.stage.StageHeartbeat;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;

import io.grpc.Context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Reads a workflow's state and its pending activities' heartbeats (what {@code mona watch} shows). */
public final class Progress {
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mona-query-deadlines");
        t.setDaemon(true);
        return t;
    });

    private Progress() {}

    /** One pending activity: its type, attempt and last heartbeat (null before the first). */
    public record PendingStage(String activityType, int attempt, StageHeartbeat heartbeat, String lastFailure) {
    }

    /** Status name ({@code RUNNING}, {@code COMPLETED}, ...) and pending stages. */
    public record Snapshot(String workflowId, String workflowType, String status, long startMillis, long closeMillis,
                           List<PendingStage> pending) {
    }

    /**
     * Runs the workflow's query {@code name}, or returns empty when it is not answered within {@code timeout}: a
     * query needs a live orchestrator, and without one Temporal's client would retry it for about a minute.
     */
    public static <T> Optional<T> query(WorkflowClient client, String workflowId, String name, Class<T> type,
                                        Duration timeout) {
        Context.CancellableContext bounded = Context.current().withDeadlineAfter(timeout.toMillis(),
                TimeUnit.MILLISECONDS, DEADLINES);
        try {
            return Optional.ofNullable(bounded.call(() -> client.newUntypedWorkflowStub(workflowId).query(name, type)));
        } catch (Exception e) {
            return Optional.empty();
        } finally {
            bounded.cancel(null);
        }
    }

    /**
     * Why the orchestrator cannot run the workflow, when its workflow task is failing: the root message of the last
     * failed workflow task since the last completed one (later attempts of a failing task time out rather than
     * fail again), or empty. Temporal retries such a task until someone fixes the orchestrator (a worker of another
     * mona version that cannot read the request, workflow code changed under a running workflow), so without this
     * the run only looks stuck. Reads the whole history: for a workflow that does not answer its progress query.
     */
    public static Optional<String> failingWorkflowTask(WorkflowClient client, String workflowId) {
        String failing = null;
        com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
        do {
            GetWorkflowExecutionHistoryResponse page = client.getWorkflowServiceStubs().blockingStub()
                    .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
                            .setNextPageToken(token).build());
            for (HistoryEvent e : page.getHistory().getEventsList()) {
                if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
                    Failure f = e.getWorkflowTaskFailedEventAttributes().getFailure();
                    while (f.hasCause()) {
                        f = f.getCause();
                    }
                    failing = f.getMessage();
                } else if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
                    failing = null;
                }
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return Optional.ofNullable(failing);
    }

    public static Snapshot describe(WorkflowClient client, String workflowId) {
        DescribeWorkflowExecutionResponse d = client.getWorkflowServiceStubs().blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build()).build());
        List<PendingStage> pending = new ArrayList<>();
        for (PendingActivityInfo a : d.getPendingActivitiesList()) {
            StageHeartbeat hb = null;
            if (a.hasHeartbeatDetails() && a.getHeartbeatDetails().getPayloadsCount() > 0) {
                try {
                    hb = DefaultDataConverter.newDefaultInstance().fromPayloads(0,
                            Optional.of(a.getHeartbeatDetails()), StageHeartbeat.class, StageHeartbeat.class);
                } catch (RuntimeException e) {
                    hb = null;
                }
            }
            String failure = a.hasLastFailure() ? a.getLastFailure().getMessage() : null;
            pending.add(new PendingStage(a.getActivityType().getName(), a.getAttempt(), hb, failure));
        }
        var info = d.getWorkflowExecutionInfo();
        return new Snapshot(workflowId, info.getType().getName(),
                info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
                info.getStartTime().getSeconds() * 1000, info.hasCloseTime()
                ? info.getCloseTime().getSeconds() * 1000 : 0, pending);
    }
}
