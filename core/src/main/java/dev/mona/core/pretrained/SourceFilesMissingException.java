package dev.mona.core.pretrained;

import dev.mona.core.UserError;

/** A file of a published source encoder is not where the configured endpoint says it is. */
public final class SourceFilesMissingException extends RuntimeException implements UserError {
    public SourceFilesMissingException(String message) {
        super(message);
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.MISSING_DATA;
    }
}
