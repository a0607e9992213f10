package dev.mona.workflows.stage;

import dev.mona.workflows.TransferResult;
import io.temporal.activity.ActivityInterface;

/**
 * Attaching a sweep to a run that already exists under the child's id (finished, or started by someone else), served
 * on {@link dev.mona.workflows.Queues#CPU}.
 */
@ActivityInterface
public interface AttachActivities {
    /** Waits for the run {@code workflowId} and returns its result; a failed run fails this with its cause. */
    TransferResult awaitRun(String workflowId);
}
