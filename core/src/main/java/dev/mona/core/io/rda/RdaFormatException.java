package dev.mona.core.io.rda;

/** An R data file is malformed or uses a part of R's serialisation format this reader does not handle. */
public final class RdaFormatException extends RuntimeException {
    public RdaFormatException(String message) {
        super(message);
    }
}
