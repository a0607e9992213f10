package dev.mona.workflows;

import io.temporal.activity.ActivityOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every stage finds an attempt lost with its worker within the heartbeat timeout, not the 12-hour attempt limit. */
class StageOptionsTest {
    @Test
    void everyStageHasAHeartbeatTimeoutOfAtMostAMinute() {
        RetryTuning t = RetryTuning.DEFAULT;
        for (ActivityOptions o : List.of(StageOptions.cpu(t), StageOptions.gpu(t), StageOptions.attach(t))) {
            assertNotNull(o.getHeartbeatTimeout(), o.toString());
            assertTrue(o.getHeartbeatTimeout().compareTo(Duration.ofSeconds(60)) <= 0, o.toString());
            assertTrue(o.getHeartbeatTimeout().compareTo(o.getStartToCloseTimeout()) < 0, o.toString());
        }
        assertEquals(Queues.CPU, StageOptions.cpu(t).getTaskQueue());
        assertTrue(StageOptions.attach(t).getRetryOptions().getDoNotRetry().length >= 2,
                "a failed attached run is final");
    }
}
