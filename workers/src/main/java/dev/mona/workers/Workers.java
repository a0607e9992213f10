package dev.mona.workers;

import dev.mona.activities.DataActivitiesImpl;
import dev.mona.activities.PredictActivitiesImpl;
import dev.mona.activities.TrainingActivitiesImpl;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workflows.AttachActivitiesImpl;
import dev.mona.workflows.Queues;
import dev.mona.workflows.PredictWorkflowImpl;
import dev.mona.workflows.SweepWorkflowImpl;
import dev.mona.workflows.TransferWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

import java.time.Duration;

/**
 * The two worker roles. The orchestrator hosts the workflows and the CPU activities; a GPU worker hosts the
 * training activities only, one slot per GPU. Workflows live with the orchestrator on purpose: a GPU worker that
 * is killed then loses only activity attempts, which Temporal retries elsewhere. Losing the orchestrator loses
 * nothing either: workflow tasks are never sticky (see {@link #create}) and CPU attempts heartbeat
 * ({@link LivenessHeartbeats}), so a restarted or second orchestrator takes over.
 */
public final class Workers {
    private Workers() {}

    /** Which stages a worker process serves. */
    public enum Role { ORCHESTRATOR, GPU, ALL }

    /**
     * Registers the role's workers on a new factory (not started). Workflow tasks are not sticky (a zero sticky
     * schedule-to-start timeout): Temporal's test server, which local mode and {@code mona server} run, never moves a
     * task off the sticky queue of a worker that died, so a killed orchestrator would strand its runs and route their
     * queries to nobody. Every workflow task goes to the shared queue instead, which any live orchestrator polls; the
     * cost is replaying a run's short history on each task.
     */
    public static WorkerFactory create(WorkflowClient client, ArtifactStore store, Role role, int gpuSlots) {
        WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new LivenessHeartbeats()).build());
        if (role != Role.GPU) {
            Worker cpu = factory.newWorker(Queues.CPU, WorkerOptions.newBuilder()
                    .setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
            cpu.registerWorkflowImplementationTypes(TransferWorkflowImpl.class, SweepWorkflowImpl.class,
                    PredictWorkflowImpl.class);
            // prediction jobs plan and write their manifest here; their shards run on the GPU workers
            cpu.registerActivitiesImplementations(new DataActivitiesImpl(store), new AttachActivitiesImpl(client),
                    new PredictActivitiesImpl(store));
        }
        if (role != Role.ORCHESTRATOR) {
            Worker gpu = factory.newWorker(Queues.GPU, WorkerOptions.newBuilder()
                    .setMaxConcurrentActivityExecutionSize(Math.max(1, gpuSlots)).build());
            gpu.registerActivitiesImplementations(new TrainingActivitiesImpl(store), new PredictActivitiesImpl(store));
        }
        return factory;
    }
}
