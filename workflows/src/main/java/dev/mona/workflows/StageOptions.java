package dev.mona.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;

import java.time.Duration;

/** Activity options of the stages: explicit timeouts and backoff, bad input never retried. */
public final class StageOptions {
    /** Stages of the longest run (fetch, source, align, fine-tune, probe, export, manifest). */
    private static final int STAGES = 7;

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
     * CPU stages (fetch, source, export, manifest, sweep table): one attempt may take up to the stage limit (source
     * pretraining takes minutes on a CPU), and the heartbeat timeout finds an attempt lost with its worker, which
     * would otherwise wait for that limit. The CPU workers heartbeat for every attempt they run
     * ({@code dev.mona.workers.LivenessHeartbeats}).
     */
    public static ActivityOptions cpu(RetryTuning t) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(Queues.CPU)
                .setStartToCloseTimeout(Duration.ofMinutes(t.stageTimeoutMinutes()))
                .setHeartbeatTimeout(Duration.ofSeconds(t.heartbeatTimeoutSeconds()))
                .setRetryOptions(retry(t))
                .build();
    }

    /**
     * Waiting for an existing run ({@link dev.mona.workflows.stage.AttachActivities}): heartbeated like a CPU stage,
     * bounded by a whole run (its stages one after another); a failed run is final.
     */
    public static ActivityOptions attach(RetryTuning t) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(Queues.CPU)
                .setStartToCloseTimeout(Duration.ofMinutes(t.stageTimeoutMinutes()).multipliedBy(STAGES))
                .setHeartbeatTimeout(Duration.ofSeconds(t.heartbeatTimeoutSeconds()))
                .setRetryOptions(RetryOptions.newBuilder(retry(t))
                        .setDoNotRetry(InvalidRequestException.TYPE, AttachActivitiesImpl.RUN_FAILED).build())
                .build();
    }

    /**
     * Long GPU stages: the heartbeat timeout finds a lost worker (GPU workers heartbeat every attempt from a timer,
     * besides their steps: {@code dev.mona.workers.LivenessHeartbeats}); the attempt limit bounds one try. A cancelled
     * run ends only once its attempt has stopped (it learns of the cancellation at its next step's heartbeat, within
     * about 0.8 heartbeat timeouts): a run shown as cancelled writes no further checkpoint, so {@code mona gc} and
     * {@code mona rm} after it find everything it will ever write.
     */
    public static ActivityOptions gpu(RetryTuning t) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(Queues.GPU)
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setStartToCloseTimeout(Duration.ofMinutes(t.stageTimeoutMinutes()))
                .setHeartbeatTimeout(Duration.ofSeconds(t.heartbeatTimeoutSeconds()))
                .setRetryOptions(retry(t))
                .build();
    }
}
