package dev.mona.workflows;

/**
 * A request a user got wrong (unknown task, bad method, malformed override). Activities turn it into a
 * non-retryable application failure of type {@link #TYPE}: retrying cannot fix bad input.
 */
public class InvalidRequestException extends RuntimeException {
    /** Application failure type carried through Temporal. */
    public static final String TYPE = "InvalidRequest";

    public InvalidRequestException(String message) {
        super(message);
    }
}
