package dev.mona.workers;

import dev.mona.workflows.Queues;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A GPU-queue attempt that computes longer than its heartbeat timeout without a step of its own (a model load, the
 * first meta-step of a large encoder on a busy CPU) is kept alive by the worker's timer heartbeats and completes in
 * its first attempt, on the port-bound Temporal server. Without them the server times the attempt out and, with one
 * attempt allowed, the workflow fails.
 */
class LivenessHeartbeatsTest {
    /** A stage that computes for a while without heartbeating. */
    @ActivityInterface
    public interface Slow {
        int compute(long millis);
    }

    /** Runs {@link Slow} once on the GPU queue with a 1-second heartbeat timeout and no retry. */
    @WorkflowInterface
    public interface Once {
        @WorkflowMethod
        int run(long millis);
    }

    public static class SlowImpl implements Slow {
        @Override
        public int compute(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Activity.getExecutionContext().getInfo().getAttempt();
        }
    }

    public static class OnceImpl implements Once {
        @Override
        public int run(long millis) {
            Slow slow = Workflow.newActivityStub(Slow.class, ActivityOptions.newBuilder()
                    .setTaskQueue(Queues.GPU)
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setHeartbeatTimeout(Duration.ofSeconds(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                    .build());
            return slow.compute(millis);
        }
    }

    @Test
    void aLongGpuAttemptWithoutStepsStaysAlive() {
        try (LoopbackTemporal server = LoopbackTemporal.start(0, "a free port")) {
            WorkflowClient client = TemporalConnection.connect(server.address(), "default");
            WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                    .setWorkerInterceptors(new LivenessHeartbeats()).build());
            factory.newWorker("liveness-test").registerWorkflowImplementationTypes(OnceImpl.class);
            factory.newWorker(Queues.GPU).registerActivitiesImplementations(new SlowImpl());
            factory.start();
            try {
                Once once = client.newWorkflowStub(Once.class, WorkflowOptions.newBuilder()
                        .setTaskQueue("liveness-test").setWorkflowExecutionTimeout(Duration.ofMinutes(2)).build());
                assertEquals(1, once.run(4000), "the attempt that completed");
            } finally {
                factory.shutdownNow();
            }
        }
    }
}
