package dev.mona.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;

/** The message a user can act on inside Temporal's failure chain. */
public final class FailureMessages {
    private FailureMessages() {}

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
}
