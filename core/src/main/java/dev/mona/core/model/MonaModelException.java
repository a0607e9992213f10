package dev.mona.core.model;

/** Base of the typed errors a user can cause with a model: wrong shapes, missing or unknown parameters. */
public class MonaModelException extends RuntimeException {
    public MonaModelException(String message) {
        super(message);
    }

    public MonaModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
