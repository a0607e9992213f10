package dev.mona.core.fetch;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeExtractorTest {
    private static final SafeExtractor EXTRACTOR = new SafeExtractor(ExtractionLimits.defaults());

    private static void zip(Path f, String... namesAndContents) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    /** A tar (optionally gzipped) whose entries are: regular "name=content", symlink "name->target", hardlink "name=>target". */
    private static void tar(Path f, boolean gz, String... specs) throws IOException {
        try (OutputStream raw = Files.newOutputStream(f);
             OutputStream o = gz ? new GzipCompressorOutputStream(raw) : raw;
             TarArchiveOutputStream t = new TarArchiveOutputStream(o)) {
            for (String s : specs) {
                if (s.contains("->")) {
                    String[] p = s.split("->");
                    TarArchiveEntry e = new TarArchiveEntry(p[0], TarConstants.LF_SYMLINK, true);
                    e.setLinkName(p[1]);
                    t.putArchiveEntry(e);
                    t.closeArchiveEntry();
                } else if (s.contains("=>")) {
                    String[] p = s.split("=>");
                    TarArchiveEntry e = new TarArchiveEntry(p[0], TarConstants.LF_LINK, true);
                    e.setLinkName(p[1]);
                    t.putArchiveEntry(e);
                    t.closeArchiveEntry();
                } else {
                    String[] p = s.split("=", 2);
                    byte[] b = p[1].getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry e = new TarArchiveEntry(p[0], true);
                    e.setSize(b.length);
                    t.putArchiveEntry(e);
                    t.write(b);
                    t.closeArchiveEntry();
                }
            }
        }
    }

    private static void assertNothingEscaped(Path dir) throws IOException {
        assertFalse(Files.exists(dir.resolve("evil.txt")), "file written outside the destination");
        assertFalse(Files.exists(dir.resolve("out").resolve("a.txt")), "partial extraction left behind");
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".extracting-")), "staging left behind");
        }
    }

    @Test
    void extractsNestedZipAndTarGz(@TempDir Path dir) throws IOException {
        Path z = dir.resolve("protein.zip");
        zip(z, "protein/deepcov/a.npy", "A", "protein/list.txt", "x y");
        List<Path> files = EXTRACTOR.extract(z, dir.resolve("out"));
        assertEquals(2, files.size());
        assertEquals("x y", Files.readString(dir.resolve("out/protein/list.txt")));
        Path t = dir.resolve("cosmic.tar.gz");
        tar(t, true, "train/a.npy=AAA", "train/b/c.npy=CC");
        EXTRACTOR.extract(t, dir.resolve("out2"));
        assertEquals("CC", Files.readString(dir.resolve("out2/train/b/c.npy")));
        assertEquals(SafeExtractor.Kind.TAR_GZ, SafeExtractor.detect(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "a/../../evil.txt", "/tmp/evil.txt", "C:\\evil.txt", "..\\evil.txt"})
    void zipTraversalIsRejected(String name, @TempDir Path dir) throws IOException {
        Path z = dir.resolve("bad.zip");
        zip(z, "a.txt", "fine", name, "pwned");
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class, () -> EXTRACTOR.extract(z, dir.resolve("out")));
        assertEquals(name.replace('\\', '/'), e.entry().replace('\\', '/'));
        assertNothingEscaped(dir);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tarTraversalIsRejected(boolean gz, @TempDir Path dir) throws IOException {
        Path t = dir.resolve("bad.tar");
        tar(t, gz, "a.txt=fine", "../evil.txt=pwned");
        assertThrows(UnsafeArchiveException.class, () -> EXTRACTOR.extract(t, dir.resolve("out")));
        assertNothingEscaped(dir);
        Path abs = dir.resolve("abs.tar");
        tar(abs, gz, "/tmp/evil-" + System.nanoTime() + ".txt=pwned");
        assertThrows(UnsafeArchiveException.class, () -> EXTRACTOR.extract(abs, dir.resolve("out")));
    }

    @Test
    void tarLinksPointingOutsideAreRejected(@TempDir Path dir) throws IOException {
        for (String link : new String[]{"link->../../etc", "link->/etc/passwd", "sub/link->../../x", "hard=>/etc/passwd",
                "hard=>../outside"}) {
            Path t = dir.resolve("links.tar");
            tar(t, false, "a.txt=fine", link, "link/evil.txt=pwned");
            UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                    () -> EXTRACTOR.extract(t, dir.resolve("out")), link);
            assertTrue(e.getMessage().contains("link"), e.getMessage());
            assertNothingEscaped(dir);
        }
    }

    @Test
    void linksInsideAreNotCreatedAndNeverFollowed(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("inside.tar");
        tar(t, false, "data/a.txt=fine", "alias->data");
        List<Path> files = EXTRACTOR.extract(t, dir.resolve("out"));
        assertEquals(1, files.size());
        assertFalse(Files.exists(dir.resolve("out/alias"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void zipSymlinkPointingOutsideIsRejected(@TempDir Path dir) throws IOException {
        Path z = dir.resolve("link.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(z))) {
            ZipArchiveEntry e = new ZipArchiveEntry("link");
            e.setUnixMode(0120777);
            out.putArchiveEntry(e);
            out.write("../../../etc".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
            ZipArchiveEntry f = new ZipArchiveEntry("link/evil.txt");
            out.putArchiveEntry(f);
            out.write("pwned".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                () -> EXTRACTOR.extract(z, dir.resolve("out")));
        assertEquals("link", e.entry());
        assertNothingEscaped(dir);
    }

    @Test
    void zipBombIsStoppedByTotalAndByRatio(@TempDir Path dir) throws IOException {
        Path z = dir.resolve("bomb.zip");
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
            out.setLevel(9);
            out.putNextEntry(new ZipEntry("a.txt"));
            out.write("fine".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("zeros.bin"));
            for (int i = 0; i < 32; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        long size = Files.size(z);
        assertTrue(size < 200_000, "bomb is " + size + " bytes");
        SafeExtractor byTotal = new SafeExtractor(new ExtractionLimits(8 << 20, 100, 1e9, 0));
        UnsafeArchiveException total = assertThrows(UnsafeArchiveException.class,
                () -> byTotal.extract(z, dir.resolve("out")));
        assertTrue(total.getMessage().contains("expands beyond"), total.getMessage());
        assertNothingEscaped(dir);
        SafeExtractor byRatio = new SafeExtractor(new ExtractionLimits(1L << 40, 100, 100, 1 << 20));
        UnsafeArchiveException ratio = assertThrows(UnsafeArchiveException.class,
                () -> byRatio.extract(z, dir.resolve("out")));
        assertTrue(ratio.getMessage().contains("x its size"), ratio.getMessage());
        assertNothingEscaped(dir);
        SafeExtractor byCount = new SafeExtractor(new ExtractionLimits(1L << 40, 1, 1e9, 0));
        assertThrows(UnsafeArchiveException.class, () -> byCount.extract(z, dir.resolve("out")));
    }
}
