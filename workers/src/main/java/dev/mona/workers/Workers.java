package dev.mona.workers;

import dev.mona.activities.DataActivitiesImpl;
import dev.mona.activities.TrainingActivitiesImpl;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workflows.Queues;
import dev.mona.workflows.SweepWorkflowImpl;
import dev.mona.workflows.TransferWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/**
 * The two worker roles. The orchestrator hosts the workflows and the CPU activities; a GPU worker hosts the
 * training activities only, one slot per GPU. Workflows live with the orchestrator on purpose: a GPU worker that
 * is killed then loses only activity attempts, which Temporal retries elsewhere.
 */
public final class Workers {
    private Workers() {}

    /** Which stages a worker process serves. */
    public enum Role { ORCHESTRATOR, GPU, ALL }

    /** Registers the role's workers on a new factory (not started). */
    public static WorkerFactory create(WorkflowClient client, ArtifactStore store, Role role, int gpuSlots) {
        WorkerFactory factory = WorkerFactory.newInstance(client);
        if (role != Role.GPU) {
            Worker cpu = factory.newWorker(Queues.CPU);
            cpu.registerWorkflowImplementationTypes(TransferWorkflowImpl.class, SweepWorkflowImpl.class);
            cpu.registerActivitiesImplementations(new DataActivitiesImpl(store));
        }
        if (role != Role.ORCHESTRATOR) {
            Worker gpu = factory.newWorker(Queues.GPU, WorkerOptions.newBuilder()
                    .setMaxConcurrentActivityExecutionSize(Math.max(1, gpuSlots)).build());
            gpu.registerActivitiesImplementations(new TrainingActivitiesImpl(store));
        }
        return factory;
    }
}
