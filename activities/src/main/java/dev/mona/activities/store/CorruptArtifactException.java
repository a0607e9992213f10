package dev.mona.activities.store;

import dev.mona.core.UserError;

/**
 * A stored artifact does not hold what its reference recorded: its SHA-256 differs from the digest written with
 * the reference, or its bytes do not decode. Not retried: a content-addressed object reads the same on every
 * attempt. The remedy is to recompute it: the stage cache verifies every hit, so submitting the run again
 * recomputes the stage that wrote the artifact (or use {@code --no-cache}).
 */
public final class CorruptArtifactException extends RuntimeException implements UserError {
    private final String key;
    private final String expectedDigest;
    private final String actualDigest;

    /** The object under {@code key} has SHA-256 {@code actualDigest} where {@code expectedDigest} was recorded. */
    public CorruptArtifactException(String key, String expectedDigest, String actualDigest) {
        super("corrupt artifact " + key + ": sha256 " + actualDigest + " in the store but " + expectedDigest
                + " was recorded when it was written; submit the run again (the stage cache then recomputes it)"
                + " or use --no-cache");
        this.key = key;
        this.expectedDigest = expectedDigest;
        this.actualDigest = actualDigest;
    }

    /** The object under {@code key} cannot be decoded ({@code problem} says why). */
    public CorruptArtifactException(String key, String problem, Throwable cause) {
        super("corrupt artifact " + key + ": " + problem + "; submit the run again with --no-cache to recompute it",
                cause);
        this.key = key;
        this.expectedDigest = null;
        this.actualDigest = null;
    }

    /** The artifact's key. */
    public String key() {
        return key;
    }

    /** The digest recorded with the reference; null when the failure was in decoding. */
    public String expectedDigest() {
        return expectedDigest;
    }

    /** The digest of the bytes in the store; null when the failure was in decoding. */
    public String actualDigest() {
        return actualDigest;
    }

    @Override
    public Kind kind() {
        return Kind.CORRUPT_DATA;
    }
}
