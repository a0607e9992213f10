package dev.mona.core.task;

import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.NpyWriter;
import dev.mona.core.io.formats.PickleBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Matrix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ORCA's NAS-Bench-360 preprocessing on small files written in the published formats. */
class Nb360LoadersTest {

    private static double coeff(int n, int i, int j) {
        return ((n * 7 + i * 3 + j) % 5 == 0 ? 12 : 3) + 0.01 * n;
    }

    private static double sol(int n, int i, int j) {
        return Math.sin(0.1 * i) * Math.cos(0.07 * j) * (1 + 0.1 * n);
    }

    private static void writeDarcy(Path f, int samples, int size, int shift) throws IOException {
        Matrix a = Mat5.newMatrix(new int[]{samples, size, size});
        Matrix u = Mat5.newMatrix(new int[]{samples, size, size});
        for (int n = 0; n < samples; n++) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    a.setDouble(new int[]{n, i, j}, coeff(n + shift, i, j));
                    u.setDouble(new int[]{n, i, j}, sol(n + shift, i, j));
                }
            }
        }
        Mat5.writeToFile(Mat5.newMatFile().addArray("coeff", a).addArray("sol", u), f.toFile());
    }

    @Test
    void darcySubsamplesByFiveNormalisesAndAddsTheGrid(@TempDir Path dir) throws IOException {
        int size = 21; // 21 -> 5 with stride 5, as 421 -> 85
        writeDarcy(dir.resolve("piececonst_r421_N1024_smooth1.mat"), 20, size, 0);
        writeDarcy(dir.resolve("piececonst_r421_N1024_smooth2.mat"), 6, size, 100);
        LoadedTask t = TaskCatalog.load("nb360-darcy", dir, LoadOptions.defaults());
        TaskData d = t.data();
        assertEquals(18, d.train().size());
        assertEquals(2, d.validation().size());
        assertEquals(6, d.test().size());
        assertArrayEquals(new long[]{18, 3, 5, 5}, d.train().x().shape());
        assertArrayEquals(new long[]{6, 1, 5, 5}, d.test().y().shape());
        // decoded test targets are the raw solution at every fifth grid point
        float[] y = t.targetNormalizer().decode(d.test().y()).data();
        for (int n = 0; n < 6; n++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(sol(n + 100, 5 * i, 5 * j), y[n * 25 + i * 5 + j], 1e-5);
                }
            }
        }
        // normalised training inputs: mean 0 at every position
        float[] x = d.train().x().data();
        for (int p = 0; p < 25; p++) {
            double m = 0;
            for (int n = 0; n < 18; n++) {
                m += x[n * 75 + p];
            }
            assertEquals(0, m / 18, 1e-5);
        }
        // grid channels: x along columns, y along rows, both in [0, 1]
        assertEquals(0.75f, x[25 + 2 * 5 + 3], 1e-6);
        assertEquals(0.5f, x[50 + 2 * 5 + 3], 1e-6);
    }

    @Test
    void ninaproUsesTheOfficialSplitsAndTransposes(@TempDir Path dir) throws IOException {
        for (String part : new String[]{"train", "val", "test"}) {
            int n = part.equals("train") ? 5 : 3;
            double[] v = new double[n * 52 * 16];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            Files.write(dir.resolve("ninapro_" + part + ".npy"), NpyWriter.npy(v, new long[]{n, 52, 16}, "<f4", false, 1));
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (i * 5) % 18;
            }
            Files.write(dir.resolve("label_" + part + ".npy"), NpyWriter.npy(labels, new long[]{n}, "<i8", false, 1));
        }
        TaskData d = TaskCatalog.load("nb360-ninapro", dir, LoadOptions.defaults()).data();
        assertArrayEquals(new long[]{5, 1, 16, 52}, d.train().x().shape());
        assertEquals(3, d.validation().size());
        // x[n][0][c][t] = raw[n][t][c]
        assertEquals(1 * 832 + 7 * 16 + 3, d.train().x().data()[1 * 832 + 3 * 52 + 7], 0);
        assertEquals(10f, d.train().y().data()[2]);
    }

    @Test
    void aTransposedNinaproFileIsNamedAtLoad(@TempDir Path dir) throws IOException {
        for (String part : new String[]{"train", "val", "test"}) {
            // the validation windows saved as (N, channels, time steps)
            long[] shape = part.equals("val") ? new long[]{3, 16, 52} : new long[]{3, 52, 16};
            Files.write(dir.resolve("ninapro_" + part + ".npy"), NpyWriter.npy(new double[3 * 52 * 16], shape, "<f4",
                    false, 1));
            Files.write(dir.resolve("label_" + part + ".npy"), NpyWriter.npy(new double[3], new long[]{3}, "<i8",
                    false, 1));
        }
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> TaskCatalog.load("nb360-ninapro", dir, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("ninapro_val.npy") && e.getMessage().contains("[3, 16, 52]")
                && e.getMessage().contains("(N, 52, 16)") && e.getMessage().contains("transposed"), e.getMessage());
        // labels that do not match the windows
        Files.write(dir.resolve("ninapro_val.npy"), NpyWriter.npy(new double[3 * 52 * 16], new long[]{3, 52, 16},
                "<f4", false, 1));
        Files.write(dir.resolve("label_test.npy"), NpyWriter.npy(new double[2], new long[]{2}, "<i8", false, 1));
        CorruptDataException labels = assertThrows(CorruptDataException.class,
                () -> TaskCatalog.load("nb360-ninapro", dir, LoadOptions.defaults()));
        assertTrue(labels.getMessage().contains("label_test.npy") && labels.getMessage().contains("[2]"),
                labels.getMessage());
    }

    @Test
    void satelliteReadsThePickledDictAndShiftsLabels(@TempDir Path dir) throws IOException {
        for (String part : new String[]{"train", "test"}) {
            int n = part.equals("train") ? 40 : 4;
            ByteBuffer data = ByteBuffer.allocate(n * 46 * 4).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer label = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < 46; t++) {
                    data.putFloat(i * 100 + t);
                }
                label.putLong(1 + i % 24);
            }
            byte[] pickle = PickleBytes.pickle(3, p -> {
                p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").tuple(0)
                        .bytes(new byte[]{'b'}).op(0x87).op('R');
                p.op('(').integer(1).tuple().dtype("O8", "|").bool(false);
                p.op(']').op('(').op('}').op('(');
                p.str("data").ndarray("f4", "<", new long[]{n, 46}, false, data.array());
                p.str("label").ndarray("i8", "<", new long[]{n}, false, label.array());
                p.op('u').op('e').op('t').op('b');
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            NpyWriter.writeHeader(out, "{'descr': '|O', 'fortran_order': False, 'shape': (), }", 1);
            out.write(pickle);
            Files.write(dir.resolve("satellite_" + part + ".npy"), out.toByteArray());
        }
        TaskData d = TaskCatalog.load("nb360-satellite", dir, LoadOptions.defaults()).data();
        assertEquals(4, d.validation().size());
        assertEquals(36, d.train().size());
        assertArrayEquals(new long[]{4, 1, 46}, d.test().x().shape());
        assertEquals(301f, d.test().x().data()[3 * 46 + 1]);
        assertEquals(3f, d.test().y().data()[3]); // label 4 - 1
    }

    @Test
    void ecgWindowsFollowOrcasClassStrides(@TempDir Path dir) throws IOException {
        int[] lengths = {3000, 2500, 1800, 1001, 4000, 2200, 1500, 2600, 1200, 3100};
        String[] labels = {"N", "A", "O", "~", "N", "A", "O", "~", "N", "O"};
        byte[] pickle = PickleBytes.pickle(4, p -> {
            p.op('}').op('(');
            p.str("data").op(']').op('(');
            for (int r = 0; r < lengths.length; r++) {
                ByteBuffer b = ByteBuffer.allocate(lengths[r] * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < lengths[r]; i++) {
                    b.putDouble(Math.sin(i * 0.01 * (r + 1)) * 100 + r);
                }
                p.ndarray("f8", "<", new long[]{lengths[r]}, false, b.array());
            }
            p.op('e');
            p.str("label").op(']').op('(');
            for (String l : labels) {
                p.str(l);
            }
            p.op('e').op('u');
        });
        Files.write(dir.resolve("challenge2017.pkl"), pickle);
        TaskData d = TaskCatalog.load("nb360-ecg", dir, LoadOptions.defaults()).data();
        int[] stride = {500, 83, 250, 25};
        int expected = 0;
        for (int r = 0; r < lengths.length; r++) {
            int c = "NAO~".indexOf(labels[r]);
            // python: len(range(0, L - 1000, stride))
            expected += Math.max(0, (lengths[r] - 1000 + stride[c] - 1) / stride[c]);
        }
        assertEquals(expected, d.train().size() + d.validation().size() + d.test().size());
        assertArrayEquals(new long[]{1, 1000}, d.train().x().sampleShape());
        // each window of a standardised record has values around 0 and the record-level scale
        for (float v : d.test().x().data()) {
            assertTrue(Math.abs(v) < 10, "value " + v);
        }
    }

    @Test
    void deepseaTransposesOneHotToChannelsFirst(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("deepsea_filtered.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (String part : new String[]{"train", "val", "test"}) {
                int n = 3;
                int len = 10;
                double[] x = new double[n * len * 4];
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < len; p++) {
                        x[(i * len + p) * 4 + (i + p) % 4] = 1;
                    }
                }
                double[] y = new double[n * 36];
                y[5] = 1;
                z.putNextEntry(new ZipEntry("x_" + part + ".npy"));
                z.write(NpyWriter.npy(x, new long[]{n, len, 4}, "|u1", false, 1));
                z.putNextEntry(new ZipEntry("y_" + part + ".npy"));
                z.write(NpyWriter.npy(y, new long[]{n, 36}, "|u1", false, 1));
            }
        }
        TaskData d = TaskCatalog.load("nb360-deepsea", dir, LoadOptions.defaults()).data();
        assertArrayEquals(new long[]{3, 4, 10}, d.test().x().shape());
        float[] x = d.train().x().data();
        // sample 1, position 2: base (1 + 2) % 4 = 3 -> channel 3
        assertEquals(1f, x[40 + 3 * 10 + 2]);
        assertEquals(0f, x[40 + 0 * 10 + 2]);
        assertEquals(1f, d.validation().y().data()[5]);
    }

    @Test
    void sphericalReadsTheGzipPickle(@TempDir Path dir) throws IOException {
        byte[] images = new byte[6 * 3 * 60 * 60];
        for (int i = 0; i < images.length; i++) {
            images[i] = (byte) (i % 256);
        }
        byte[] test = java.util.Arrays.copyOf(images, 2 * 3 * 3600);
        byte[] pickle = PickleBytes.pickle(2, p -> {
            p.op('}').op('(');
            for (String part : new String[]{"train", "test"}) {
                byte[] img = part.equals("train") ? images : test;
                long n = img.length / (3 * 3600);
                ByteBuffer lb = ByteBuffer.allocate((int) n * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    lb.putLong(i * 11 % 100);
                }
                p.str(part).op('}').op('(');
                p.str("images").ndarray("u1", "|", new long[]{n, 3, 60, 60}, false, img);
                p.str("labels").ndarray("i8", "<", new long[]{n}, false, lb.array());
                p.op('u');
            }
            p.op('u');
        });
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("s2_cifar100.gz")))) {
            out.write(pickle);
        }
        TaskData d = TaskCatalog.load("nb360-spherical", dir, LoadOptions.defaults()).data();
        assertEquals(2, d.test().size());
        assertEquals(1, d.validation().size());
        assertEquals(5, d.train().size());
        assertEquals(255f / 255f, d.test().x().data()[255], 1e-6);
        assertEquals(11f, d.test().y().data()[1]);
    }

    @Test
    void cifar100ExtractsTheTarballAndNormalisesPerChannel(@TempDir Path dir) throws IOException {
        Path tgz = dir.resolve("cifar-100-python.tar.gz");
        try (OutputStream raw = Files.newOutputStream(tgz);
             OutputStream gz = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(raw);
             org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
            for (String part : new String[]{"train", "test"}) {
                int n = part.equals("train") ? 12 : 3;
                byte[] pixels = new byte[n * 3072];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (byte) ((i / 1024) % 3 * 100);
                }
                // the CIFAR pickles are Python 2 era: str keys, raw bytes as latin-1 str (protocol 2)
                byte[] pickle = PickleBytes.pickle(2, p -> {
                    p.op('}').op('(');
                    p.str("data").ndarray("u1", "|", new long[]{n, 3072}, false, pixels);
                    p.str("fine_labels").op(']').op('(');
                    for (int i = 0; i < n; i++) {
                        p.integer(i * 7 % 100);
                    }
                    p.op('e').op('u');
                });
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("cifar-100-python/" + part);
                e.setSize(pickle.length);
                tar.putArchiveEntry(e);
                tar.write(pickle);
                tar.closeArchiveEntry();
            }
        }
        TaskData d = TaskCatalog.load("nb360-cifar100", dir, LoadOptions.defaults()).data();
        assertEquals(3, d.test().size());
        assertEquals(2, d.validation().size()); // min(10,000, 12 / 5)
        assertEquals(10, d.train().size());
        assertArrayEquals(new long[]{3, 3, 32, 32}, d.test().x().shape());
        float[] x = d.test().x().data();
        assertEquals((0f - 0.5071f) / 0.2675f, x[0], 1e-5);
        assertEquals((100f / 255f - 0.4867f) / 0.2565f, x[1024 + 5], 1e-5);
        assertEquals((200f / 255f - 0.4408f) / 0.2761f, x[2048 + 9], 1e-5);
        assertEquals(14f, d.test().y().data()[2]);
    }
}
