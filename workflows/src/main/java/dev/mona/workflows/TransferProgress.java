package dev.mona.workflows;

import java.util.List;

/**
 * Answer of {@link TransferWorkflow#progress()}.
 *
 * @param runId      run id
 * @param stage      stage in progress ({@code fetch}, {@code source}, {@code align}, {@code finetune}, {@code probe},
 *                   {@code export}, {@code manifest}, {@code done})
 * @param stagesDone finished stages in order
 * @param stageCount stages this run will execute
 */
public record TransferProgress(String runId, String stage, List<String> stagesDone, int stageCount) {
}
