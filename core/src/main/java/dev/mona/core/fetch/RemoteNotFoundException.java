package dev.mona.core.fetch;

import dev.mona.core.UserError;

/** The server answered 404 or 410: the file is not there. Not retryable: point the task at a mirror. */
public class RemoteNotFoundException extends DownloadException implements UserError {
    public RemoteNotFoundException(String url, int status) {
        super(url, status, false, url + " answered " + status + " (no such file): set a mirror with MONA_MIRROR or"
                + " MONA_MIRROR_<TASK>, or put the file in the cache by hand", null);
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.MISSING_DATA;
    }
}
