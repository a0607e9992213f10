package dev.mona.core.pretrained;

import dev.mona.core.data.DataSplit;
import dev.mona.core.fetch.ChecksumMismatchException;
import dev.mona.core.fetch.ContentCache;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.fetch.DownloadOptions;
import dev.mona.core.fetch.Downloader;
import dev.mona.core.fetch.ExtractionLimits;
import dev.mona.core.fetch.Mirrors;
import dev.mona.core.fetch.SafeExtractor;
import dev.mona.core.io.formats.PickleBytes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * CIFAR-10 in its official form, written here: {@code cifar-10-python.tar.gz} holding
 * {@code cifar-10-batches-py/data_batch_1..5}, each a Python 2 cPickle (protocol 2) dict with str keys, {@code data}
 * a numpy uint8 (N, 3072) array whose bytes are a str, {@code labels} a list of ints, plus {@code batch_label} and
 * {@code filenames}; fetched through the checksummed fetcher, read and normalised with ORCA's mean and std.
 */
class Cifar10Test {
    /** Images per batch in the test archive. */
    static final int PER = 4;

    @TempDir
    Path dir;

    /** Pixel {@code p} of image {@code i} (global index): distinct per image, channel and position. */
    static int pixel(int i, int p) {
        return (i * 37 + p * 11) % 256;
    }

    /** Label of image {@code i}: two of each class over the 20 images. */
    static int label(int i) {
        return i % 10;
    }

    static Path archive(Path dir) throws Exception {
        Path tgz = dir.resolve("cifar-10-python.tar.gz");
        try (OutputStream raw = Files.newOutputStream(tgz); OutputStream gz = new GzipCompressorOutputStream(raw);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (int b = 1; b <= 5; b++) {
                int first = (b - 1) * PER;
                byte[] pixels = new byte[PER * 3072];
                for (int k = 0; k < PER; k++) {
                    for (int p = 0; p < 3072; p++) {
                        pixels[k * 3072 + p] = (byte) pixel(first + k, p);
                    }
                }
                int batch = b;
                byte[] pickle = PickleBytes.pickle(2, w -> {
                    w.op('}').op('(');
                    w.binstring(ascii("data"));
                    w.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").tuple(0);
                    w.binstring(ascii("b")).op(0x87).op('R');
                    w.op('(').integer(1).tuple(PER, 3072).dtype("u1", "|").bool(false).binstring(pixels).op('t')
                            .op('b');
                    w.binstring(ascii("labels")).op(']').op('(');
                    for (int k = 0; k < PER; k++) {
                        w.integer(label(first + k));
                    }
                    w.op('e');
                    w.binstring(ascii("batch_label")).binstring(ascii("training batch " + batch + " of 5"));
                    w.binstring(ascii("filenames")).op(']').op('(');
                    for (int k = 0; k < PER; k++) {
                        w.binstring(ascii("img_" + (first + k) + ".png"));
                    }
                    w.op('e').op('u');
                });
                TarArchiveEntry e = new TarArchiveEntry(Cifar10.BATCHES + "/data_batch_" + b);
                e.setSize(pickle.length);
                tar.putArchiveEntry(e);
                tar.write(pickle);
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private DatasetFetcher fetcher(Path mirror) {
        return new DatasetFetcher(new ContentCache(dir.resolve("cache")), new Downloader(DownloadOptions.defaults()),
                new Mirrors(Map.of(Cifar10.TASK, mirror.toUri().toString()), Map.of()),
                new SafeExtractor(ExtractionLimits.defaults()));
    }

    @Test
    void officialBatchesReadThroughTheFetcherAndNormaliseWithOrcasStatistics() throws Exception {
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Path tgz = archive(mirror);
        DataFile pinned = new DataFile(Cifar10.ARCHIVE.name(), List.of(), Files.size(tgz),
                dev.mona.core.fetch.Digests.sha256(tgz));
        Cifar10 cifar = Cifar10.fetch(fetcher(mirror), pinned);
        assertEquals(5 * PER, cifar.size());

        DataSplit[] sets = cifar.sourceAndProbe(10, 3);
        DataSplit source = sets[0];
        DataSplit probe = sets[1];
        assertArrayEquals(new long[]{10, 3, 32, 32}, source.x().shape());
        assertArrayEquals(new long[]{10, 3, 32, 32}, probe.x().shape());
        // 20 images, two per class: the source and probe sets are disjoint and hold each class once
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), labels(source));
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), labels(probe));
        Set<Integer> seen = new HashSet<>();
        for (DataSplit s : sets) {
            for (int k = 0; k < 10; k++) {
                int image = imageOf(s, k);
                assertTrue(seen.add(image), "image " + image + " in both sets");
                assertEquals(label(image), (int) s.y().data()[k]);
                // red at (0, 0), green at (5, 7), blue at (31, 31): (pixel / 255 - mean) / std
                float[] x = s.x().data();
                int base = k * 3072;
                assertEquals((pixel(image, 0) / 255f - 0.4914f) / 0.2023f, x[base], 1e-5);
                assertEquals((pixel(image, 1024 + 5 * 32 + 7) / 255f - 0.4822f) / 0.1994f,
                        x[base + 1024 + 5 * 32 + 7], 1e-5);
                assertEquals((pixel(image, 3071) / 255f - 0.4465f) / 0.2010f, x[base + 3071], 1e-5);
            }
        }
        // the same seed picks the same images
        assertArrayEquals(source.x().data(), cifar.sourceAndProbe(10, 3)[0].x().data());
    }

    @Test
    void anArchiveThatIsNotTheOfficialOneFailsItsChecksum() throws Exception {
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Path tgz = archive(mirror);
        DataFile official = new DataFile(Cifar10.ARCHIVE.name(), List.of(), Files.size(tgz),
                Cifar10.ARCHIVE.sha256());
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> Cifar10.fetch(fetcher(mirror), official));
        assertTrue(e.getMessage().contains("cifar-10-python.tar.gz"), e.getMessage());
        assertEquals(Cifar10.ARCHIVE.sha256(), e.expectedDigest());
    }

    /** The image a row of a set is: recovered from its first red pixel and its label. */
    private static int imageOf(DataSplit s, int row) {
        float red = s.x().data()[row * 3072] * 0.2023f + 0.4914f;
        int value = Math.round(red * 255);
        for (int i = 0; i < 5 * PER; i++) {
            if (pixel(i, 0) == value && label(i) == (int) s.y().data()[row]) {
                return i;
            }
        }
        throw new AssertionError("row " + row + " is no image of the archive");
    }

    private static Set<Integer> labels(DataSplit s) {
        Set<Integer> out = new HashSet<>();
        for (float f : s.y().data()) {
            out.add((int) f);
        }
        return out;
    }
}
