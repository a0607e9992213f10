package dev.mona.workflows;

import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What makes runs and sweeps findable with Temporal's own tools (UI, {@code temporal workflow list}, any SDK): a memo
 * on every execution, mona's search attributes where the server defines them, and a one-line summary.
 * <p>
 * The memo is always written. The search attributes are set at start only when the server defines them (an
 * operator registers them, or the local server does it itself); a workflow started with them keeps
 * {@link #STAGE} current and gives them to its children, one started without them never upserts any, so a
 * server without them runs every workflow unchanged.
 */
public final class RunIndex {
    private RunIndex() {}

    /** Catalogue name of the run's task. */
    public static final SearchAttributeKey<String> TASK = SearchAttributeKey.forKeyword("MonaTask");
    /** Method label ({@code ft}, {@code emb}, {@code orca}, {@code mona}, {@code scratch}). */
    public static final SearchAttributeKey<String> METHOD = SearchAttributeKey.forKeyword("MonaMethod");
    /** The run's seed. */
    public static final SearchAttributeKey<Long> SEED = SearchAttributeKey.forLong("MonaSeed");
    /** Id of the sweep the run belongs to (a sweep carries its own id). */
    public static final SearchAttributeKey<String> SWEEP = SearchAttributeKey.forKeyword("MonaSweep");
    /** Stage in progress ({@code fetch} ... {@code done}); {@code sweep} on a sweep. */
    public static final SearchAttributeKey<String> STAGE = SearchAttributeKey.forKeyword("MonaStage");
    /** Every search attribute mona sets, for registration. */
    public static final List<SearchAttributeKey<?>> KEYS = List.of(TASK, METHOD, SEED, SWEEP, STAGE);

    /** Memo keys (the memo is written on every execution, whatever the server supports). */
    public static final String MEMO_TASK = "task", MEMO_METHOD = "method", MEMO_SEED = "seed",
            MEMO_SOURCE = "source", MEMO_SWEEP = "sweep", MEMO_CONFIG_DIGEST = "configDigest";

    /** A run's memo: task, method, seed, source encoder, sweep id (empty alone) and the digest of its overrides. */
    public static Map<String, Object> memo(TransferRequest r, String sweepId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(MEMO_TASK, r.task());
        m.put(MEMO_METHOD, r.method().label());
        m.put(MEMO_SEED, r.seed());
        m.put(MEMO_SOURCE, r.source());
        m.put(MEMO_SWEEP, sweepId == null ? "" : sweepId);
        m.put(MEMO_CONFIG_DIGEST, WorkflowIds.configDigest(r.overrides()));
        return m;
    }

    /** A run's search attributes at start ({@link #STAGE} {@code pending}). */
    public static SearchAttributes attributes(TransferRequest r, String sweepId) {
        SearchAttributes.Builder b = SearchAttributes.newBuilder().set(TASK, r.task()).set(METHOD, r.method().label())
                .set(SEED, r.seed()).set(STAGE, "pending");
        if (sweepId != null && !sweepId.isEmpty()) {
            b.set(SWEEP, sweepId);
        }
        return b.build();
    }

    /** One line for Temporal's UI, e.g. {@code offline-dna mona seed 0, 2 overrides (epochs=3, lr=1e-4)}. */
    public static String summary(TransferRequest r) {
        return r.task() + " " + r.method().label() + " seed " + r.seed()
                + (r.source().isEmpty() ? "" : " source " + r.source()) + overrides(r.overrides());
    }

    /** A sweep's memo: its name, axes and the digest of its overrides. */
    public static Map<String, Object> memo(SweepRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("tasks", r.tasks());
        m.put("methods", r.methods().stream().map(TransferMethod::label).toList());
        m.put("seeds", r.seeds());
        m.put(MEMO_SOURCE, r.source());
        m.put(MEMO_CONFIG_DIGEST, WorkflowIds.configDigest(r.overrides()));
        return m;
    }

    /** A sweep's search attributes: {@link #SWEEP} (its own id) and {@link #STAGE} {@code sweep}. */
    public static SearchAttributes attributes(String sweepId) {
        return SearchAttributes.newBuilder().set(SWEEP, sweepId).set(STAGE, "sweep").build();
    }

    /** One line for Temporal's UI, e.g. {@code sweep demo: 2 tasks x 4 methods x 1 seed = 8 runs}. */
    public static String summary(SweepRequest r) {
        return String.format(Locale.ROOT, "sweep %s: %d tasks x %d methods x %d seeds = %d runs%s", r.name(),
                r.tasks().size(), r.methods().size(), r.seeds().size(),
                r.tasks().size() * r.methods().size() * r.seeds().size(), overrides(r.overrides()));
    }

    /** Inside a workflow: whether it was started with mona's search attributes (the server defines them). */
    static boolean indexed() {
        SearchAttributes own = Workflow.getTypedSearchAttributes();
        return own.containsKey(STAGE);
    }

    private static String overrides(Map<String, String> o) {
        if (o.isEmpty()) {
            return "";
        }
        String list = o.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        return ", " + o.size() + " override" + (o.size() == 1 ? "" : "s") + " (" + (list.length() > 120
                ? list.substring(0, 117) + "..." : list) + ")";
    }
}
