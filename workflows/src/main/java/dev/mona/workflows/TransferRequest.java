package dev.mona.workflows;

import java.util.Map;
import java.util.TreeMap;

/**
 * One transfer run: a task, a method, a seed and a source encoder.
 *
 * @param task      catalogue name of the target task (see {@code mona tasks})
 * @param method    transfer method
 * @param seed      random seed of data splits, initialisation and batches
 * @param source    source encoder name, or {@code null}/empty for the task's default
 * @param overrides configuration overrides ({@code epochs=3}, {@code lr=1e-4}, ...), applied over the task's values
 * @param noCache   recompute every stage even when a finished stage with the same inputs exists
 * @param tuning    timeouts and retry backoff, {@code null} for {@link RetryTuning#DEFAULT}
 */
public record TransferRequest(String task, TransferMethod method, long seed, String source,
                              Map<String, String> overrides, boolean noCache, RetryTuning tuning) {
    public TransferRequest {
        overrides = overrides == null ? new TreeMap<>() : new TreeMap<>(overrides);
        source = source == null ? "" : source;
    }

    /** The workflow id of this request (equal requests share it, so a repeated submit attaches). */
    public String workflowId() {
        return WorkflowIds.transfer(this);
    }
}
