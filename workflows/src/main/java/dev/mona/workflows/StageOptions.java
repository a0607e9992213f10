package dev.mona.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;

import java.time.Duration;

/** Activity options of the stages: explicit timeouts and backoff, bad input never retried. */
public final class StageOptions {
    private StageOptions() {}

    /** Retry with exponential backoff; {@link InvalidRequestException#TYPE} failures are final. */
    public static RetryOptions retry(RetryTuning t) {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofMillis(t.initialIntervalMillis()))
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(Duration.ofSeconds(t.maximumIntervalSeconds()))
                .setMaximumAttempts(t.maximumAttempts())
                .setDoNotRetry(InvalidRequestException.TYPE)
                .build();
    }

    /**
     * CPU stages (fetch, source, export, manifest): they run next to the orchestrator, so no heartbeat timeout;
     * one attempt may take up to the stage limit (source pretraining takes minutes on a CPU).
     */
    public static ActivityOptions cpu(RetryTuning t) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(Queues.CPU)
                .setStartToCloseTimeout(Duration.ofMinutes(t.stageTimeoutMinutes()))
                .setRetryOptions(retry(t))
                .build();
    }

    /** Long GPU stages: the heartbeat timeout finds a lost worker; the attempt limit bounds one try. */
    public static ActivityOptions gpu(RetryTuning t) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(Queues.GPU)
                .setStartToCloseTimeout(Duration.ofMinutes(t.stageTimeoutMinutes()))
                .setHeartbeatTimeout(Duration.ofSeconds(t.heartbeatTimeoutSeconds()))
                .setRetryOptions(retry(t))
                .build();
    }
}
