package dev.mona.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;

import java.util.Set;

/**
 * The message a user can act on inside Temporal's failure chain, and the failure types of errors a user caused
 * (non-retryable; the command line exits with its bad-input code for them).
 */
public final class FailureMessages {
    private FailureMessages() {}

    /** A configuration value, name or combination that is not allowed. */
    public static final String BAD_CONFIGURATION = "BadConfiguration";
    /** A size the data cannot give (more samples than exist, a split beyond one host tensor). */
    public static final String IMPOSSIBLE_SIZE = "ImpossibleSize";
    /** Offline data or a remote file that is not there. */
    public static final String MISSING_DATA = "MissingData";
    /** A corrupt, truncated, unsafe or mismatching file or stored artifact. */
    public static final String CORRUPT_DATA = "CorruptData";
    /** Weights, checkpoints or inputs that do not fit the model. */
    public static final String MODEL_MISMATCH = "ModelMismatch";

    /** Every failure type that means "the user must change something": retrying cannot help. */
    public static final Set<String> USER_ERROR_TYPES = Set.of(InvalidRequestException.TYPE, BAD_CONFIGURATION,
            IMPOSSIBLE_SIZE, MISSING_DATA, CORRUPT_DATA, MODEL_MISMATCH);

    /** The innermost application message (the typed error raised by a stage), else the innermost message. */
    public static String root(Throwable t) {
        String msg = t.getMessage();
        Throwable c = t;
        while (c != null) {
            if (c instanceof ApplicationFailure a) {
                if (a.getOriginalMessage() != null && !a.getOriginalMessage().isBlank()) {
                    msg = a.getOriginalMessage();
                }
            } else if (!(c instanceof ChildWorkflowFailure) && !(c instanceof ActivityFailure)
                    && c.getMessage() != null && !c.getMessage().isBlank()) {
                msg = c.getMessage();
            }
            c = c.getCause();
        }
        return msg == null || msg.isBlank() ? t.toString() : msg;
    }

    /** Whether an application failure of a {@link #USER_ERROR_TYPES user error type} is in the cause chain. */
    public static boolean isUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ApplicationFailure a && USER_ERROR_TYPES.contains(a.getType())) {
                return true;
            }
        }
        return false;
    }
}
