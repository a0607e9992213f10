package dev.mona.core.task;

import dev.mona.core.data.TaskData;

/**
 * What a {@link TaskLoader} returns: the splits, and for tasks whose targets ORCA normalises (Darcy, 1-D CFD) the
 * normaliser, whose {@link UnitGaussianNormalizer#decode} must be applied to predictions and targets before the
 * metric (as ORCA does).
 *
 * @param data              train, validation and test splits
 * @param targetNormalizer  normaliser applied to all targets, or null
 */
public record LoadedTask(TaskData data, UnitGaussianNormalizer targetNormalizer) {
    public static LoadedTask of(TaskData data) {
        return new LoadedTask(data, null);
    }
}
