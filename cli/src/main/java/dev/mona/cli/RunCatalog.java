package dev.mona.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workers.Session;
import dev.mona.workflows.RunIndex;
import dev.mona.workflows.SweepRow;
import dev.mona.workflows.SweepWorkflow;
import dev.mona.workflows.TransferMethod;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runs and sweeps mona knows of: Temporal's executions (state, start and close time, memo) joined with the
 * artifact store (objects, bytes, manifest, sweep tables). A run whose history the server no longer holds (the local
 * server keeps histories in memory) is described by the store alone: {@code completed} with its manifest, else
 * {@code unknown}.
 */
final class RunCatalog {
    private RunCatalog() {}

    /** The states {@code ls} shows and filters by. */
    static final List<String> STATES = List.of("running", "completed", "failed", "cancelled", "terminated",
            "timed-out", "unknown");

    /**
     * One run or sweep. {@code tasks} and {@code methods} hold one value for a run, a sweep's axes for a sweep;
     * {@code sweeps} are the sweeps a run belongs to (its own, and any that reused it).
     */
    record Entry(String kind, String id, String state, Set<String> tasks, Set<String> methods, Long seed,
                 Set<String> sweeps, Instant started, Instant ended, String metric, Double value, long bytes,
                 int objects) {
        /** Seconds from start to end (to now while running), or null without a start. */
        Long seconds() {
            if (started == null) return null;
            Instant end = ended != null ? ended : Instant.now();
            return Math.max(0, end.getEpochSecond() - started.getEpochSecond());
        }
    }

    private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;
    private static final String SWEEP_TYPE = SweepWorkflow.class.getSimpleName();
    private static final String PREDICT_TYPE = dev.mona.workflows.PredictWorkflow.class.getSimpleName();

    /** Every run and sweep, sorted by id. */
    static List<Entry> list(Session s) {
        Map<String, WorkflowExecutionInfo> executions = executions(s.client());
        Map<String, Objects> runs = objects(s.store(), ArtifactKeys.RUNS, "");
        Map<String, Objects> sweeps = objects(s.store(), ArtifactKeys.SWEEPS, "");
        // the runs of each stored sweep table, so that a reused run lists under every sweep that reported it
        Map<String, Set<String>> memberOf = new TreeMap<>();
        Map<String, List<SweepRow>> tables = new TreeMap<>();
        for (String sweep : sweeps.keySet()) {
            if (sweeps.get(sweep).has(ArtifactKeys.sweepResults(sweep))) {
                List<SweepRow> rows = read(s.store(), ArtifactKeys.sweepResults(sweep),
                        new TypeReference<List<SweepRow>>() {});
                tables.put(sweep, rows);
                rows.forEach(r -> memberOf.computeIfAbsent(r.runId(), k -> new TreeSet<>()).add(sweep));
            }
        }
        Set<String> ids = new TreeSet<>(executions.keySet());
        ids.addAll(runs.keySet());
        ids.addAll(sweeps.keySet());
        List<Entry> out = new ArrayList<>();
        for (String id : ids) {
            WorkflowExecutionInfo info = executions.get(id);
            boolean sweep = info != null ? SWEEP_TYPE.equals(info.getType().getName()) : sweeps.containsKey(id);
            Objects stored = (sweep ? sweeps : runs).getOrDefault(id, new Objects());
            out.add(sweep ? sweep(s, id, info, stored, tables.get(id))
                    : run(s, id, info, stored, memberOf.getOrDefault(id, Set.of())));
        }
        return out;
    }

    /** The ids of the runs and sweeps (Temporal's and the store's) that start with {@code prefix}. */
    static Set<String> ids(Session s, String prefix) {
        Set<String> ids = new TreeSet<>();
        executions(s.client()).keySet().stream().filter(id -> id.startsWith(prefix)).forEach(ids::add);
        ids.addAll(objects(s.store(), ArtifactKeys.RUNS, prefix).keySet());
        ids.addAll(objects(s.store(), ArtifactKeys.SWEEPS, prefix).keySet());
        return ids;
    }

    private static Entry run(Session s, String id, WorkflowExecutionInfo info, Objects stored, Set<String> tables) {
        Set<String> sweeps = new TreeSet<>(tables);
        String state = "unknown", task = null, method = null, metric = null;
        Long seed = null;
        Double value = null;
        Instant started = null, ended = null;
        if (info != null) {
            info = describe(s.client(), id); // the listing of some servers carries no memo
            state = state(info);
            started = instant(info.hasStartTime() ? info.getStartTime() : null);
            ended = instant(info.hasCloseTime() ? info.getCloseTime() : null);
            Map<String, Payload> memo = info.getMemo().getFieldsMap();
            task = memo(memo, RunIndex.MEMO_TASK, String.class);
            method = memo(memo, RunIndex.MEMO_METHOD, String.class);
            seed = memo(memo, RunIndex.MEMO_SEED, Long.class);
            String own = memo(memo, RunIndex.MEMO_SWEEP, String.class);
            if (own != null && !own.isEmpty()) sweeps.add(own);
        }
        if (stored.has(ArtifactKeys.manifest(id))) {
            JsonNode m = read(s.store(), ArtifactKeys.manifest(id), new TypeReference<JsonNode>() {});
            JsonNode request = m.path("request");
            task = request.path("task").asText(task);
            method = request.has("method") ? TransferMethod.parse(request.get("method").asText()).label() : method;
            seed = request.has("seed") ? Long.valueOf(request.get("seed").asLong()) : seed;
            JsonNode ft = m.path("results").path("fineTune");
            metric = ft.path("metricName").asText(null);
            value = ft.has("testMetric") ? ft.get("testMetric").asDouble() : null;
            if (info == null) {
                state = "completed";
                started = parse(m.path("times").path("startedAt").asText(null));
                ended = parse(m.path("times").path("finishedAt").asText(null));
            }
        }
        return new Entry("run", id, state, task == null ? Set.of() : Set.of(task),
                method == null ? Set.of() : Set.of(method), seed, sweeps, started, ended, metric, value,
                stored.bytes, stored.count);
    }

    private static Entry sweep(Session s, String id, WorkflowExecutionInfo info, Objects stored, List<SweepRow> rows) {
        Set<String> tasks = new TreeSet<>(), methods = new TreeSet<>();
        String state = rows != null ? "completed" : "unknown";
        Instant started = null, ended = null;
        if (info != null) {
            info = describe(s.client(), id);
            state = state(info);
            started = instant(info.hasStartTime() ? info.getStartTime() : null);
            ended = instant(info.hasCloseTime() ? info.getCloseTime() : null);
            Map<String, Payload> memo = info.getMemo().getFieldsMap();
            List<?> t = memo(memo, "tasks", List.class), m = memo(memo, "methods", List.class);
            if (t != null) t.forEach(x -> tasks.add(String.valueOf(x)));
            if (m != null) m.forEach(x -> methods.add(String.valueOf(x)));
        }
        String metric = null;
        if (rows != null) {
            rows.forEach(r -> {
                tasks.add(r.task());
                methods.add(r.method());
            });
            long failed = rows.stream().filter(r -> !"completed".equals(r.status())).count();
            metric = rows.size() + " runs, " + failed + " failed";
        }
        return new Entry("sweep", id, state, tasks, methods, null, Set.of(id), started, ended, metric, null,
                stored.bytes, stored.count);
    }

    /** Temporal's state in {@code ls}'s words. */
    private static String state(WorkflowExecutionInfo info) {
        return switch (info.getStatus()) {
            case WORKFLOW_EXECUTION_STATUS_RUNNING -> "running";
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> "completed";
            case WORKFLOW_EXECUTION_STATUS_FAILED -> "failed";
            case WORKFLOW_EXECUTION_STATUS_CANCELED -> "cancelled";
            case WORKFLOW_EXECUTION_STATUS_TERMINATED -> "terminated";
            case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> "timed-out";
            default -> "unknown";
        };
    }

    /** The newest execution of every workflow id the server lists, open and closed. */
    private static Map<String, WorkflowExecutionInfo> executions(WorkflowClient client) {
        WorkflowServiceStubs stubs = client.getWorkflowServiceStubs();
        String ns = client.getOptions().getNamespace();
        Map<String, WorkflowExecutionInfo> out = new TreeMap<>();
        List<WorkflowExecutionInfo> all = new ArrayList<>();
        com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
        do {
            ListOpenWorkflowExecutionsResponse r = stubs.blockingStub().listOpenWorkflowExecutions(
                    ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(ns).setMaximumPageSize(1000)
                            .setNextPageToken(token).build());
            all.addAll(r.getExecutionsList());
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        do {
            ListClosedWorkflowExecutionsResponse r = stubs.blockingStub().listClosedWorkflowExecutions(
                    ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(ns).setMaximumPageSize(1000)
                            .setNextPageToken(token).build());
            all.addAll(r.getExecutionsList());
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        for (WorkflowExecutionInfo i : all) {
            if (PREDICT_TYPE.equals(i.getType().getName())) {
                continue; // a prediction job is not a run
            }
            out.merge(i.getExecution().getWorkflowId(), i, (a, b) ->
                    a.getStartTime().getSeconds() >= b.getStartTime().getSeconds() ? a : b);
        }
        return out;
    }

    private static WorkflowExecutionInfo describe(WorkflowClient client, String id) {
        return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder().setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getWorkflowExecutionInfo();
    }

    private static <T> T memo(Map<String, Payload> memo, String key, Class<T> type) {
        Payload p = memo.get(key);
        return p == null ? null : CONVERTER.fromPayload(p, type, type);
    }

    private static Instant instant(com.google.protobuf.Timestamp t) {
        return t == null ? null : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Instant parse(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }

    private static <T> T read(ArtifactStore store, String key, TypeReference<T> type) {
        try {
            return Verb.JSON.readValue(store.getText(key), type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable " + key + ": " + e.getMessage(), e);
        }
    }

    /** The objects under one run's or sweep's folder. */
    private static final class Objects {
        final Set<String> keys = new TreeSet<>();
        long bytes;
        int count;

        boolean has(String key) {
            return keys.contains(key);
        }
    }

    /** {@code <base><id>/...} grouped by id, for the ids that start with {@code idPrefix}. */
    private static Map<String, Objects> objects(ArtifactStore store, String base, String idPrefix) {
        Map<String, Objects> out = new TreeMap<>();
        for (ArtifactStore.Entry e : store.list(base + idPrefix)) {
            String rest = e.key().substring(base.length());
            int slash = rest.indexOf('/');
            if (slash < 0) continue;
            Objects o = out.computeIfAbsent(rest.substring(0, slash), k -> new Objects());
            o.keys.add(e.key());
            o.bytes += e.size();
            o.count++;
        }
        return out;
    }

    /** Bytes as people read them: {@code 635 MB}, {@code 12.3 kB}. */
    static String size(long bytes) {
        if (bytes < 1000) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
