package dev.mona.core;

/**
 * An error the user can cause and must fix: a bad configuration value, a size the data cannot give, offline data
 * that is not installed, or a file that is corrupt or does not match the model. Implemented by mona's typed
 * exceptions (which keep their usual {@code RuntimeException} superclasses); the message names the offending
 * value and what to do. The same input fails the same way again, so the workflow layer never retries such an
 * error: it fails the run at once with the message, and the command line exits with its bad-input code.
 * Errors of the environment (a store or server that does not answer, a lost worker) are not user errors and keep
 * their retries.
 */
public interface UserError {
    /** What the user got wrong; each kind travels as its own failure type through the workflow layer. */
    enum Kind {
        /** A configuration value, name or combination that is not allowed. */
        BAD_CONFIGURATION,
        /** A size the data or memory cannot give (more samples than exist, a split beyond one host tensor). */
        IMPOSSIBLE_SIZE,
        /** Offline data or a remote file that is not there; the message names the command that installs it. */
        MISSING_DATA,
        /** A file that is corrupt, truncated, unsafe or of another format than it claims. */
        CORRUPT_DATA,
        /** Weights, checkpoints or inputs that do not fit the model (names, shapes, architecture). */
        MODEL_MISMATCH
    }

    /** The kind of this error. */
    Kind kind();
}
