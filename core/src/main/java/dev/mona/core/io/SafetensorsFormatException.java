package dev.mona.core.io;

import dev.mona.core.UserError;
import dev.mona.core.model.MonaModelException;

import java.nio.file.Path;

/**
 * A safetensors file that cannot be read as such: truncated, header length beyond the end of the file, tensor
 * offsets out of range, an unknown dtype or a malformed header. The message names the file and the value.
 */
public final class SafetensorsFormatException extends MonaModelException {
    private final Path file;

    public SafetensorsFormatException(Path file, String problem) {
        super("safetensors file " + file + ": " + problem);
        this.file = file;
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super("safetensors file " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.CORRUPT_DATA;
    }
}
