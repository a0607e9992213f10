package dev.mona.workers;

/** The configuration is incomplete or wrong (missing credentials, bad file): the message says what to set. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
