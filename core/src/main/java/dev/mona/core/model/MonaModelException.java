package dev.mona.core.model;

import dev.mona.core.UserError;

/**
 * Base of the typed errors a user can cause with a model: wrong shapes, missing or unknown parameters; a
 * {@link dev.mona.core.UserError} of kind {@code MODEL_MISMATCH} unless a subclass says otherwise.
 */
public class MonaModelException extends RuntimeException implements UserError {
    public MonaModelException(String message) {
        super(message);
    }

    public MonaModelException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.MODEL_MISMATCH;
    }
}
