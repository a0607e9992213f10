package dev.mona.activities.store;

/** The artifact store refused the credentials or the request: retrying cannot help; fix the configuration. */
public class StorageAccessException extends RuntimeException {
    /** Application failure type carried through Temporal. */
    public static final String TYPE = "StorageAccess";

    public StorageAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
