package dev.mona.core.offline;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads unsigned-byte IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number
 * {@code 0x00000800 | rank} ({@code 0x0801} labels, {@code 0x0803} images), {@code rank} big-endian int
 * dimensions, then the bytes in row-major order. Gzipped files ({@code .gz}) are decompressed on the fly.
 */
public final class IdxReader {
    /** Magic number of a rank-1 unsigned-byte IDX file (labels). */
    public static final int MAGIC_LABELS = 0x0801;
    /** Magic number of a rank-3 unsigned-byte IDX file (images). */
    public static final int MAGIC_IMAGES = 0x0803;

    private IdxReader() {}

    /**
     * An unsigned-byte IDX array.
     *
     * @param dims dimensions, outermost first
     * @param data the values (read them with {@code Byte.toUnsignedInt})
     */
    public record IdxArray(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    /** Reads {@code file}, checking that its magic number is {@code expectedMagic}. */
    public static IdxArray read(Path file, int expectedMagic) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return read(in, expectedMagic, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an IDX array from {@code in}; {@code source} names it in error messages. */
    public static IdxArray read(InputStream in, int expectedMagic, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic;
        try {
            magic = data.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(source + " is empty or shorter than an IDX header");
        }
        if (magic != expectedMagic) {
            throw new IdxFormatException(String.format("%s has magic number 0x%08x, expected 0x%08x: not an "
                    + "unsigned-byte IDX file of rank %d (is it the right file?)", source, magic, expectedMagic,
                    expectedMagic & 0xff));
        }
        int rank = magic & 0xff;
        int[] dims = new int[rank];
        long total = 1;
        try {
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw new IdxFormatException(source + " declares a negative dimension " + dims[i]);
                }
                total *= dims[i];
            }
        } catch (EOFException e) {
            throw new IdxFormatException(source + " is truncated inside its header");
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IdxFormatException(source + " declares " + Arrays.toString(dims) + ", too large");
        }
        byte[] bytes = new byte[(int) total];
        int n = data.readNBytes(bytes, 0, bytes.length);
        if (n != bytes.length) {
            throw new IdxFormatException(source + " is truncated: its header " + Arrays.toString(dims)
                    + " declares " + total + " bytes of data but only " + n + " are present");
        }
        return new IdxArray(dims, bytes);
    }
}
