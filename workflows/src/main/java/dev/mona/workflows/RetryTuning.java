package dev.mona.workflows;

/**
 * Timeouts and retry backoff of the activities of one run. {@code null} in a request means {@link #DEFAULT}.
 *
 * @param heartbeatTimeoutSeconds a stage that has not heartbeated for this long is retried elsewhere
 * @param initialIntervalMillis   first retry delay; doubles each attempt
 * @param maximumIntervalSeconds  cap of the retry delay
 * @param maximumAttempts         attempts per stage before the run fails (0 = unlimited)
 * @param stageTimeoutMinutes     start-to-close limit of one attempt of a long stage
 */
public record RetryTuning(int heartbeatTimeoutSeconds, long initialIntervalMillis, int maximumIntervalSeconds,
                          int maximumAttempts, int stageTimeoutMinutes) {
    /** Production defaults: a worker lost for a minute is replaced; backoff 2 s doubling to 60 s; 8 attempts. */
    public static final RetryTuning DEFAULT = new RetryTuning(60, 2000, 60, 8, 12 * 60);

    public static RetryTuning orDefault(RetryTuning t) {
        return t == null ? DEFAULT : t;
    }
}
