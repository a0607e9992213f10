package dev.mona.activities.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files written on this machine whole or not at all. */
public final class LocalFiles {
    private LocalFiles() {}

    /**
     * Writes {@code bytes} to {@code target} (creating its folders) through a temporary file in the same folder that
     * is renamed over it, so a failed write leaves neither a partial file nor a damaged old one; failure is a
     * {@link LocalWriteException} ending in {@code fix}.
     */
    public static void write(Path target, byte[] bytes, String fix) {
        Path tmp = null;
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, ".part-", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new LocalWriteException(target, e, fix);
        }
    }
}
