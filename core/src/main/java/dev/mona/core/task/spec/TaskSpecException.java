package dev.mona.core.task.spec;

import dev.mona.core.UserError;

/**
 * A task spec file or its data that mona cannot use: a missing or unknown key, a missing file, a wrong checksum,
 * shape or dtype, NaN/Inf, labels outside {@code [0, K)}, an empty split. The message names the spec file, the data
 * file and the array, and says what to change. Never retried: the same files fail the same way.
 */
public final class TaskSpecException extends IllegalArgumentException implements UserError {
    private final Kind kind;

    /**
     * @param kind  what kind of user error this is (bad spec, missing file, corrupt data, impossible size)
     * @param where the spec file, or the data file and array ({@code train.npz:x})
     * @param what  what is wrong and how to fix it
     */
    public TaskSpecException(Kind kind, String where, String what) {
        super(where + ": " + what);
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }
}
