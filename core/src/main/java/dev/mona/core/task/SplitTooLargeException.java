package dev.mona.core.task;

import dev.mona.core.UserError;

/**
 * A split would not fit in one host tensor (at most {@link Integer#MAX_VALUE} floats, about 8 GB): the task keeps
 * whole samples in memory, so the user must load fewer samples ({@link LoadOptions#limit()}, {@code --limit}).
 */
public class SplitTooLargeException extends IllegalArgumentException implements UserError {
    private final String task;
    private final long values;

    /**
     * @param task      catalogue name
     * @param split     train, validation or test
     * @param samples   samples the split would hold
     * @param perSample floats per sample
     */
    public SplitTooLargeException(String task, String split, long samples, long perSample) {
        super(task + ": the " + split + " split would hold " + samples + " samples of " + perSample + " values ("
                + samples * perSample + " floats, more than one host tensor holds, " + Integer.MAX_VALUE
                + "): load at most " + Math.max(1, Integer.MAX_VALUE / perSample) + " samples per split with a limit"
                + " (LoadOptions.withLimit, `--limit N`)");
        this.task = task;
        this.values = samples * perSample;
    }

    public String task() {
        return task;
    }

    /** Floats the split would have held. */
    public long values() {
        return values;
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.IMPOSSIBLE_SIZE;
    }
}
