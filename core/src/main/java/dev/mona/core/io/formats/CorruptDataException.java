package dev.mona.core.io.formats;

import dev.mona.core.UserError;

/**
 * A data file is corrupt, truncated or not in the format it claims to be. Never retryable: reading the same bytes
 * again gives the same answer, so the file must be downloaded again or replaced.
 */
public class CorruptDataException extends RuntimeException implements UserError {
    private final String file;
    private final String where;
    private final String expected;
    private final String found;

    /**
     * @param file     the file (or archive entry) being read
     * @param where    byte offset or field where the problem was found, e.g. {@code "offset 10"}, {@code "field coeff"}
     * @param expected what the reader expected there
     * @param found    what it found instead
     */
    public CorruptDataException(String file, String where, String expected, String found) {
        this(file, where, expected, found, null);
    }

    public CorruptDataException(String file, String where, String expected, String found, Throwable cause) {
        super(file + ": at " + where + " expected " + expected + " but found " + found
                + " (the file is corrupt, truncated or of another format: download it again or check the mirror)", cause);
        this.file = file;
        this.where = where;
        this.expected = expected;
        this.found = found;
    }

    public String file() {
        return file;
    }

    public String where() {
        return where;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }

    /** Always false: the same bytes fail the same way. */
    public boolean retryable() {
        return false;
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.CORRUPT_DATA;
    }
}
