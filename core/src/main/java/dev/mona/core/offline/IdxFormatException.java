package dev.mona.core.offline;

import dev.mona.core.UserError;

/** An IDX file (the MNIST format) is malformed: wrong magic number, bad dimensions or truncated data. */
public final class IdxFormatException extends RuntimeException implements UserError {
    public IdxFormatException(String message) {
        super(message);
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.CORRUPT_DATA;
    }
}
