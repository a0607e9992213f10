package dev.mona.workflows;

import java.util.List;

/**
 * Answer of {@link TransferWorkflow#progress()}.
 *
 * @param workflowId the run's workflow id (not Temporal's run id of one execution)
 * @param stage      stage in progress ({@code fetch}, {@code source}, {@code align}, {@code finetune}, {@code probe},
 *                   {@code export}, {@code manifest}, {@code done})
 * @param stagesDone finished stages in order
 * @param stageCount stages this run will execute
 */
public record TransferProgress(String workflowId, String stage, List<String> stagesDone, int stageCount) {
}
