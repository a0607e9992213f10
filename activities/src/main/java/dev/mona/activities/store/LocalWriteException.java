package dev.mona.activities.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A file on this machine could not be written (a download's target, a command's output): the message names the file,
 * the reason and the fix. Nothing is left behind: writes go through a temporary file in the same folder.
 */
public class LocalWriteException extends UncheckedIOException {
    public LocalWriteException(Path target, IOException cause, String fix) {
        super("cannot write " + target.toAbsolutePath() + ": " + reason(cause) + "; " + fix, cause);
    }

    /** The exception's kind in words where its message is only a path (as NIO's are). */
    private static String reason(IOException e) {
        String kind = e instanceof java.nio.file.NoSuchFileException ? "no such folder, or it cannot hold files"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NotDirectoryException ? "a path component is not a folder"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "a path component exists and is not a folder"
                : e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
    }
}
