package dev.mona.core.offline;

import dev.mona.core.UserError;
import java.nio.file.Path;

/**
 * Files or programs an offline task needs are not installed. The message names what is missing and where it was
 * looked for, and tells the user to run {@code infra/setup.sh}.
 */
public final class OfflineDataMissingException extends RuntimeException implements UserError {
    private final String what;

    public OfflineDataMissingException(String what, Path lookedAt) {
        super(what + " not found (looked at " + lookedAt + "). Run infra/setup.sh to install it"
                + " (set MONA_DATA to choose the data directory; default ~/.cache/mona).");
        this.what = what;
    }

    public OfflineDataMissingException(String what, String detail) {
        super(what + " is unavailable: " + detail + ". Run infra/setup.sh to install it.");
        this.what = what;
    }

    /** What is missing, e.g. {@code Fashion-MNIST}. */
    public String what() {
        return what;
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.MISSING_DATA;
    }
}
