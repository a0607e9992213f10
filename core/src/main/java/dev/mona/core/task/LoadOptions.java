package dev.mona.core.task;

import dev.mona.core.BadConfigurationException;

/**
 * How a {@link TaskLoader} builds the splits.
 *
 * @param seed               seed of every random choice (validation carving, shuffles); same seed, same splits
 * @param validationFraction share of the training data carved out as validation where the task has no official
 *                           validation set (default 0.1)
 * @param limit              keep at most this many samples per split (0 = all): for smoke runs on small machines
 */
public record LoadOptions(long seed, double validationFraction, int limit) {
    public LoadOptions {
        if (validationFraction <= 0 || validationFraction >= 1) {
            throw new BadConfigurationException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        if (limit < 0) {
            throw new BadConfigurationException("limit must be >= 0, got " + limit);
        }
    }

    /** Seed 0, 10% validation, everything. */
    public static LoadOptions defaults() {
        return new LoadOptions(0, 0.1, 0);
    }

    public LoadOptions withLimit(int n) {
        return new LoadOptions(seed, validationFraction, n);
    }
}
