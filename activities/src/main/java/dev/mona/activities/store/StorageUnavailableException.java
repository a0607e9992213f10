package dev.mona.activities.store;

/** The artifact store did not answer (down, unreachable, timing out): retryable. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
