package dev.mona.core.fetch;

import dev.mona.core.UserError;

/**
 * An archive entry would escape the extraction folder (an absolute path, {@code ..}, a link pointing outside) or the
 * archive expands beyond the configured limits (a decompression bomb). Not retryable: the archive is hostile or
 * broken, and nothing of it is kept.
 */
public class UnsafeArchiveException extends RuntimeException implements UserError {
    private final String archive;
    private final String entry;

    public UnsafeArchiveException(String archive, String entry, String reason) {
        super(archive + ": entry '" + entry + "' rejected: " + reason + " (nothing was extracted)");
        this.archive = archive;
        this.entry = entry;
    }

    public String archive() {
        return archive;
    }

    public String entry() {
        return entry;
    }

    public boolean retryable() {
        return false;
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.CORRUPT_DATA;
    }
}
