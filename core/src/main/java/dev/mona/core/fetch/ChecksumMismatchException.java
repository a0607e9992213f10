package dev.mona.core.fetch;

import dev.mona.core.io.formats.CorruptDataException;

/**
 * A downloaded or cached file does not have the expected SHA-256 (or size): it is corrupt, truncated or a different
 * version. Never retryable; the bad bytes are deleted so that the next attempt starts clean.
 */
public class ChecksumMismatchException extends CorruptDataException {
    private final String expectedDigest;
    private final String actualDigest;

    public ChecksumMismatchException(String file, String expectedDigest, String actualDigest) {
        super(file, "whole file", "sha256 " + expectedDigest, "sha256 " + actualDigest);
        this.expectedDigest = expectedDigest;
        this.actualDigest = actualDigest;
    }

    public String expectedDigest() {
        return expectedDigest;
    }

    public String actualDigest() {
        return actualDigest;
    }
}
