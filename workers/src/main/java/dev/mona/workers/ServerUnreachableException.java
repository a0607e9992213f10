package dev.mona.workers;

/** The Temporal server (or the artifact store) did not answer. */
public class ServerUnreachableException extends RuntimeException {
    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
