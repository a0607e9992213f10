package dev.mona.core.io.rda;

import dev.mona.core.UserError;

/** An R data file is malformed or uses a part of R's serialisation format this reader does not handle. */
public final class RdaFormatException extends RuntimeException implements UserError {
    public RdaFormatException(String message) {
        super(message);
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.CORRUPT_DATA;
    }
}
