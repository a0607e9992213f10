package dev.mona.core.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Element types of the safetensors format that {@code mona} reads and writes. Half-precision types
 * ({@link #F16}, {@link #BF16}) are widened to float32 when loaded into the engine.
 */
public enum SafetensorsDType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), U8(1), BOOL(1);

    private final int bytes;

    SafetensorsDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type named {@code name} in a header of {@code file}; a typed error for names this reader does not know. */
    public static SafetensorsDType parse(String name, Path file, String tensor) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new SafetensorsFormatException(file, "tensor '" + tensor + "' has dtype '" + name
                + "', which mona cannot read; supported: " + Arrays.toString(values())
                + ". Convert the file (e.g. to F32) before loading it.");
    }
}
