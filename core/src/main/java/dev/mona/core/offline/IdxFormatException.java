package dev.mona.core.offline;

/** An IDX file (the MNIST format) is malformed: wrong magic number, bad dimensions or truncated data. */
public final class IdxFormatException extends RuntimeException {
    public IdxFormatException(String message) {
        super(message);
    }
}
