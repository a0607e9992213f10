package dev.mona.core.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static void gzip(Path file, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
    }

    @Test
    void readsGzippedImagesAndLabels() throws IOException {
        byte[] pixels = new byte[2 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (250 + i); // wraps past 255: values must come back unsigned
        }
        gzip(dir.resolve("img.gz"), idx(0x0803, new int[]{2, 2, 3}, pixels));
        IdxReader.IdxArray a = IdxReader.read(dir.resolve("img.gz"), IdxReader.MAGIC_IMAGES);
        assertArrayEquals(new int[]{2, 2, 3}, a.dims());
        assertEquals(250, Byte.toUnsignedInt(a.data()[0]));
        assertEquals(5, Byte.toUnsignedInt(a.data()[11]));
        Files.write(dir.resolve("lab"), idx(0x0801, new int[]{3}, new byte[]{7, 0, 9}));
        assertArrayEquals(new byte[]{7, 0, 9}, IdxReader.read(dir.resolve("lab"), IdxReader.MAGIC_LABELS).data());
    }

    @Test
    void badMagicAndTruncationAreTypedErrors() throws IOException {
        gzip(dir.resolve("labels.gz"), idx(0x0801, new int[]{3}, new byte[]{1, 2, 3}));
        IdxFormatException wrong = assertThrows(IdxFormatException.class,
                () -> IdxReader.read(dir.resolve("labels.gz"), IdxReader.MAGIC_IMAGES));
        assertTrue(wrong.getMessage().contains("0x00000801") && wrong.getMessage().contains("labels.gz"),
                wrong.getMessage());
        gzip(dir.resolve("short.gz"), idx(0x0803, new int[]{10, 28, 28}, new byte[100]));
        IdxFormatException truncated = assertThrows(IdxFormatException.class,
                () -> IdxReader.read(dir.resolve("short.gz"), IdxReader.MAGIC_IMAGES));
        assertTrue(truncated.getMessage().contains("7840") && truncated.getMessage().contains("100"),
                truncated.getMessage());
        Files.write(dir.resolve("header"), new byte[]{0, 0, 8, 3, 0, 0});
        assertThrows(IdxFormatException.class, () -> IdxReader.read(dir.resolve("header"), IdxReader.MAGIC_IMAGES));
        Files.write(dir.resolve("empty"), new byte[0]);
        assertThrows(IdxFormatException.class, () -> IdxReader.read(dir.resolve("empty"), IdxReader.MAGIC_IMAGES));
    }
}
