package dev.mona.core.task;

import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.NpyWriter;
import dev.mona.core.io.formats.PickleBytes;
import dev.mona.core.metric.ProteinWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PDNet's PSICOV preprocessing (as ORCA uses it) on a small protein.zip written in the published layout. */
class PsicovLoaderTest {
    private static final int W = 20;

    // feature values, chosen so that every channel and position is recognisable and within (-100, 100)
    static double ss(int j, int k) {
        return 0.1 * j + 0.01 * k;
    }

    static double pssm(int k, int j) {
        return 1 + 0.5 * j + 0.001 * k;
    }

    static double sa(int k) {
        return -3 - 0.1 * k;
    }

    static double entropy(int k) {
        return 7 + 0.1 * k;
    }

    static double pairValue(int m, int i, int j) {
        return 20 * m + 0.1 * i + 0.001 * j;
    }

    /** Distance |i - j| * 3.8 + 0.5: the diagonal (0.5) is below 1. */
    static double dist(int i, int j) {
        return Math.abs(i - j) * 3.8 + 0.5;
    }

    static byte[] f8(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    static byte[] featurePickle(int l, int pssmCols) {
        double[] ssA = new double[3 * l];
        double[] pssmA = new double[l * pssmCols];
        double[] saA = new double[l];
        double[] enA = new double[l];
        double[][] pairs = new double[3][l * l];
        for (int k = 0; k < l; k++) {
            for (int j = 0; j < 3; j++) {
                ssA[j * l + k] = ss(j, k);
            }
            for (int j = 0; j < pssmCols; j++) {
                pssmA[k * pssmCols + j] = pssm(k, j);
            }
            saA[k] = sa(k);
            enA[k] = entropy(k);
            for (int j = 0; j < l; j++) {
                for (int m = 0; m < 3; m++) {
                    pairs[m][k * l + j] = pairValue(m, k, j);
                }
            }
        }
        return PickleBytes.pickle(2, p -> {
            p.op('}').op('(');
            p.str("seq").str("A".repeat(l));
            p.str("ss").ndarray("f8", "<", new long[]{3, l}, false, f8(ssA));
            p.str("pssm").ndarray("f8", "<", new long[]{l, pssmCols}, false, f8(pssmA));
            p.str("sa").ndarray("f8", "<", new long[]{l}, false, f8(saA));
            p.str("entropy").ndarray("f8", "<", new long[]{l}, false, f8(enA));
            String[] names = {"ccmpred", "freecon", "potential"};
            for (int m = 0; m < 3; m++) {
                p.str(names[m]).ndarray("f8", "<", new long[]{l, l}, false, f8(pairs[m]));
            }
            p.op('u');
        });
    }

    /** np.save(f, (L, seq, cb_map)): an object array of three elements. */
    static byte[] distanceNpy(int l) throws IOException {
        double[] m = new double[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                m[i * l + j] = dist(i, j);
            }
        }
        byte[] pickle = PickleBytes.pickle(3, p -> {
            p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").tuple(0)
                    .bytes(new byte[]{'b'}).op(0x87).op('R');
            p.op('(').integer(1).tuple(3).dtype("O8", "|").bool(false);
            p.op(']').op('(').integer(l).str("A".repeat(l)).ndarray("f8", "<", new long[]{l, l}, false, f8(m))
                    .op('e');
            p.op('t').op('b');
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.writeHeader(out, "{'descr': '|O', 'fortran_order': False, 'shape': (3,), }", 1);
        out.write(pickle);
        return out.toByteArray();
    }

    static void writeZip(Path f, Map<String, Integer> deepcov, Map<String, Integer> psicov, int badPssmFor)
            throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("deepcov.lst"));
            z.write((String.join("\n", deepcov.keySet()) + "\n").getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("psicov.lst"));
            z.write((String.join("\n", psicov.keySet()) + "\n").getBytes(StandardCharsets.US_ASCII));
            for (String set : new String[]{"deepcov", "psicov"}) {
                for (Map.Entry<String, Integer> e : (set.equals("deepcov") ? deepcov : psicov).entrySet()) {
                    int l = e.getValue();
                    z.putNextEntry(new ZipEntry(set + "/features/" + e.getKey() + ".pkl"));
                    z.write(featurePickle(l, l == badPssmFor ? 21 : 22));
                    z.putNextEntry(new ZipEntry(set + "/distance/" + e.getKey() + "-cb.npy"));
                    z.write(distanceNpy(l));
                }
            }
        }
    }

    static TaskSpec spec(int window) {
        TaskSpec p = TaskCatalog.get("nb360-psicov");
        return new TaskSpec(p.name(), p.family(), p.modality(), new long[]{57, window, window},
                new long[]{1, window, window}, p.classes(), p.kind(), p.loss(), p.metric(), p.train(), p.encoder(),
                p.files(), p.offline(), p.description());
    }

    private static Map<String, Integer> proteins(String prefix, int... lengths) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < lengths.length; i++) {
            m.put(prefix + i, lengths[i]);
        }
        return m;
    }

    @Test
    void pairFeaturesDistancesPaddingAndClipFollowPdnet(@TempDir Path dir) throws IOException {
        // deepcov: 9 proteins; one (length 14, padded 24) is longer than the 20-wide window
        Map<String, Integer> deepcov = proteins("1d", 6, 7, 6, 8, 6, 14, 7, 6, 9);
        Map<String, Integer> psicov = proteins("2p", 6, 8);
        writeZip(dir.resolve("protein.zip"), deepcov, psicov, -1);
        LoadedTask t = PsicovLoader.load(spec(W), TaskFiles.inDirectory(dir), LoadOptions.defaults());
        TaskData d = t.data();
        // round(0.1 * 9) = 1 validation protein carved from DeepCov; the PSICOV proteins are the test split
        assertEquals(8, d.train().size());
        assertEquals(1, d.validation().size());
        assertEquals(2, d.test().size());
        assertArrayEquals(new long[]{2, 57, W, W}, d.test().x().shape());
        assertArrayEquals(new long[]{2, 1, W, W}, d.test().y().shape());
        // each test and validation row says where its protein lies (uncropped: residue 0 at window (5, 5)), for MAE_8
        assertEquals(new ProteinWindow(6, 5, 5), t.testProteins()[0]);
        assertEquals(new ProteinWindow(8, 5, 5), t.testProteins()[1]);
        assertEquals(1, t.validationProteins().length);

        // test protein 0 (L = 6): residue pair (i, j) = (1, 3) sits at (6, 8) after the 5-residue padding
        float[] x = d.test().x().data();
        int ww = W * W;
        int at = (1 + 5) * W + (3 + 5);
        assertEquals(ss(0, 3), x[0 * ww + at], 1e-6);          // ss row 0, residue j
        assertEquals(ss(0, 1), x[1 * ww + at], 1e-6);          // ss row 0, residue i
        assertEquals(ss(2, 1), x[5 * ww + at], 1e-6);          // ss row 2, residue i
        assertEquals(pssm(3, 4), x[(6 + 2 * 4) * ww + at], 1e-6);     // pssm column 4, residue j
        assertEquals(pssm(1, 4), x[(6 + 2 * 4 + 1) * ww + at], 1e-6); // pssm column 4, residue i
        assertEquals(sa(3), x[50 * ww + at], 1e-6);
        assertEquals(entropy(1), x[53 * ww + at], 1e-6);
        assertEquals(pairValue(0, 1, 3), x[54 * ww + at], 1e-5); // ccmpred(i, j)
        assertEquals(pairValue(1, 1, 3), x[55 * ww + at], 1e-5); // freecon
        assertEquals(pairValue(2, 1, 3), x[56 * ww + at], 1e-5); // potential
        // padding and the rest of the window: zero inputs, targets 100 (not clipped in test)
        assertEquals(0f, x[54 * ww + 4 * W + 8]);
        assertEquals(0f, x[54 * ww + 12 * W + 12]); // row 12 = residue 7, beyond L = 6
        float[] y = d.test().y().data();
        assertEquals(100f, y[4 * W + 8]);
        assertEquals(100f, y[19 * W + 19]);
        // distances: |i - j| * 3.8 + 0.5, unclipped in test
        assertEquals(dist(0, 5), y[5 * W + 10], 1e-5);
        // the diagonal (0.5, raised to 1) becomes the mean of its neighbours: 4.3; the ends copy their neighbour
        assertEquals(4.3, y[(5 + 2) * W + 5 + 2], 1e-5);
        assertEquals(4.3, y[5 * W + 5], 1e-5);
        assertEquals(4.3, y[10 * W + 10], 1e-5);

        // training targets are clipped at 16 (padding 100 -> 16, distance 27.1 -> 16)
        float[] yt = d.train().y().data();
        float max = 0;
        for (float v : yt) {
            max = Math.max(max, v);
        }
        assertEquals(16f, max);
        assertTrue(d.validation().y().data()[0] == 100f, "validation targets are not clipped");

        // the long protein (L = 14, padded 24 > 20) is a W x W crop of its padded maps at some offset in [0, 4]
        int idx = List.copyOf(trainIds(deepcov, 9, 0)).indexOf("1d5");
        assertTrue(idx >= 0);
        float[] xs = Arrays.copyOfRange(d.train().x().data(), idx * 57 * ww, (idx + 1) * 57 * ww);
        boolean found = false;
        for (int rx = 0; rx <= 4 && !found; rx++) {
            for (int ry = 0; ry <= 4 && !found; ry++) {
                found = matchesCrop(xs, 14, rx, ry);
            }
        }
        assertTrue(found, "no crop offset in [0, 4] x [0, 4] reproduces the window");

        // same seed, same splits and crops
        TaskData again = PsicovLoader.load(spec(W), TaskFiles.inDirectory(dir), LoadOptions.defaults()).data();
        assertArrayEquals(d.train().x().data(), again.train().x().data());
    }

    /** The DeepCov ids left in training after the seeded carve of round(0.1 n) proteins, in list order. */
    private static List<String> trainIds(Map<String, Integer> deepcov, int n, long seed) {
        int[] perm = ValidationSplit.permutation(n, seed);
        int k = Math.max(1, (int) Math.round(0.1 * n));
        int[] rest = Arrays.copyOfRange(perm, k, n);
        Arrays.sort(rest);
        List<String> ids = new ArrayList<>(deepcov.keySet());
        List<String> out = new ArrayList<>();
        for (int i : rest) {
            out.add(ids.get(i));
        }
        return out;
    }

    private static boolean matchesCrop(float[] x, int l, int rx, int ry) {
        for (int r = 0; r < W; r++) {
            for (int c = 0; c < W; c++) {
                int i = r + rx - 5;
                int j = c + ry - 5;
                double expected = i >= 0 && i < l && j >= 0 && j < l ? pairValue(0, i, j) : 0;
                if (Math.abs(x[54 * W * W + r * W + c] - expected) > 1e-4) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void wrongFeatureShapeIsACorruptFileNamingTheField(@TempDir Path dir) throws IOException {
        writeZip(dir.resolve("protein.zip"), proteins("1d", 6, 7, 5), proteins("2p", 6), 7);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> PsicovLoader.load(spec(W), TaskFiles.inDirectory(dir), LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("pssm"), e.getMessage());
        assertTrue(e.getMessage().contains("[7, 21]"), e.getMessage());
    }

    @Test
    void orcasFullWindowNeedsALimitForTheWholeSet(@TempDir Path dir) throws IOException {
        // 160 DeepCov proteins at 57 x 512 x 512 do not fit one host tensor; the check comes before any read
        Map<String, Integer> many = new LinkedHashMap<>();
        for (int i = 0; i < 160; i++) {
            many.put("x" + i, 6);
        }
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dir.resolve("protein.zip")))) {
            z.putNextEntry(new ZipEntry("protein/deepcov.lst"));
            z.write(String.join("\n", many.keySet()).getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("protein/psicov.lst"));
            z.write("p0\n".getBytes(StandardCharsets.US_ASCII));
        }
        SplitTooLargeException e = assertThrows(SplitTooLargeException.class,
                () -> TaskCatalog.load("nb360-psicov", dir, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("at most 143 samples"), e.getMessage());
    }
}
