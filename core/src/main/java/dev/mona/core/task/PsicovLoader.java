package dev.mona.core.task;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NpyReader;
import dev.mona.core.io.formats.NumpyPickle;
import dev.mona.core.metric.ProteinWindow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ORCA's PSICOV loader ({@code load_psicov}, PDNet's {@code get_feature}, {@code get_map},
 * {@code get_input_output_dist}) on NAS-Bench-360's {@code protein.zip}: {@code deepcov.lst}, {@code psicov.lst},
 * {@code <set>/features/<pdb>.pkl} (pickled dict) and {@code <set>/distance/<pdb>-cb.npy} (object array
 * {@code (L, sequence, cb_map)}) for the sets {@code deepcov}, {@code psicov}, {@code cameo}.
 * <ul>
 *   <li>inputs: 57 pair channels per residue pair (i, j): for each of the 3 secondary-structure rows, the 22 PSSM
 *       columns, solvent accessibility and entropy, first the value of residue j, then of residue i (channels
 *       2c and 2c+1); then CCMpred, FreeContact and the statistical potential at (i, j);</li>
 *   <li>targets: C-beta distances; values below 1 raised to 1; each diagonal entry replaced by the mean of its two
 *       neighbours (the first and last by their one neighbour);</li>
 *   <li>both are padded by 5 residues on each side (inputs with 0, targets with 100), then placed at the top-left of
 *       a W x W window (W = the task's input height, 512 in ORCA) filled with 0 / 100, or, when the padded protein
 *       is longer than W, cropped at a random (seeded) offset; NaN becomes 0;</li>
 *   <li>training targets are clipped at 16 (ORCA's {@code label_engineering='16.0'}); validation and test targets
 *       are not;</li>
 *   <li>splits: training = DeepCov proteins, test = the 150 PSICOV proteins; validation = a seeded
 *       {@link LoadOptions#validationFraction()} of the DeepCov proteins (ORCA validated on half of the PSICOV test
 *       proteins; mona never touches test for selection). A limit keeps the first N proteins of each split.</li>
 * </ul>
 * Samples stay in memory: at W = 512 one protein is 57 x 512 x 512 floats (60 MB), so the full DeepCov set needs a
 * limit ({@link SplitTooLargeException} says how many fit).
 */
final class PsicovLoader {
    static final int CHANNELS = 57;
    static final int PAD = 10;
    static final float TRAIN_TARGET_CLIP = 16f;
    private static final String[] SETS = {"deepcov", "psicov", "cameo"};

    private PsicovLoader() {
    }

    static LoadedTask load(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        Path root = proteinRoot(files.extracted("protein.zip"));
        int window = (int) spec.inputShape()[1];
        List<String> deepcov = readList(root.resolve("deepcov.lst"));
        List<String> psicov = readList(root.resolve("psicov.lst"));
        if (deepcov.size() < 2) {
            throw new CorruptDataException(root.resolve("deepcov.lst").toString(), "protein list",
                    "at least 2 DeepCov proteins", deepcov.size() + "");
        }
        int k = Math.max(1, (int) Math.round(o.validationFraction() * deepcov.size()));
        if (k >= deepcov.size()) {
            k = deepcov.size() - 1;
        }
        int[] perm = ValidationSplit.permutation(deepcov.size(), o.seed());
        int[] val = Arrays.copyOf(perm, k);
        int[] train = Arrays.copyOfRange(perm, k, perm.length);
        Arrays.sort(val);
        Arrays.sort(train);
        // one seeded stream of crop offsets per split, so that a limit does not move other splits' crops
        SplittableRandom crops = new SplittableRandom(o.seed() * 31 + 7);
        Windowed trainSplit = split(spec, "train", root, pick(deepcov, train, o.limit()), window, TRAIN_TARGET_CLIP,
                crops.split());
        Windowed valSplit = split(spec, "validation", root, pick(deepcov, val, o.limit()), window, 0, crops.split());
        List<String> test = o.limit() > 0 ? psicov.subList(0, Math.min(o.limit(), psicov.size())) : psicov;
        Windowed testSplit = split(spec, "test", root, test, window, 0, crops.split());
        return new LoadedTask(new dev.mona.core.data.TaskData(trainSplit.split(), valSplit.split(), testSplit.split()),
                null, null, null, valSplit.proteins(), testSplit.proteins());
    }

    /** A split and, for each of its rows, where the protein lies in the window (for MAE_8). */
    private record Windowed(DataSplit split, ProteinWindow[] proteins) {
    }

    private static List<String> pick(List<String> ids, int[] idx, int limit) {
        int n = limit > 0 ? Math.min(limit, idx.length) : idx.length;
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ids.get(idx[i]));
        }
        return out;
    }

    /** The folder holding {@code deepcov.lst}: the archive's top level or its {@code protein/} folder. */
    static Path proteinRoot(Path extracted) {
        for (Path p : new Path[]{extracted, extracted.resolve("protein")}) {
            if (Files.isRegularFile(p.resolve("deepcov.lst"))) {
                return p;
            }
        }
        throw new CorruptDataException(extracted.toString(), "archive contents",
                "deepcov.lst at the top level or under protein/", "neither");
    }

    /** PDNet's {@code load_list}: the first word of each non-empty line. */
    static List<String> readList(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            throw new CorruptDataException(f.toString(), "archive contents", "the protein list " + f.getFileName(),
                    "no such file");
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            String s = line.strip();
            if (!s.isEmpty()) {
                out.add(s.split("\\s+")[0]);
            }
        }
        return out;
    }

    private static Windowed split(TaskSpec spec, String name, Path root, List<String> pdbs, int w, float clip,
                                   SplittableRandom crops) throws IOException {
        long perSample = (long) CHANNELS * w * w;
        if (pdbs.size() * perSample > Integer.MAX_VALUE) {
            throw new SplitTooLargeException(spec.name(), name, pdbs.size(), perSample);
        }
        int n = pdbs.size();
        float[] x = new float[(int) (n * perSample)];
        float[] y = new float[n * w * w];
        ProteinWindow[] proteins = new ProteinWindow[n];
        for (int s = 0; s < n; s++) {
            proteins[s] = sample(root, pdbs.get(s), w, clip, crops, x, (int) (s * perSample), y, s * w * w);
        }
        return new Windowed(new DataSplit(new HostTensor(x, new long[]{n, CHANNELS, w, w}),
                new HostTensor(y, new long[]{n, 1, w, w})), proteins);
    }

    /**
     * One protein: features and distances, padded, windowed, written at the given offsets (channels first); returns
     * where its residues lie in the window.
     */
    static ProteinWindow sample(Path root, String pdb, int w, float clip, SplittableRandom crops, float[] x, int xOff,
                       float[] y, int yOff) throws IOException {
        Path featFile = find(root, "features", pdb + ".pkl");
        double[][] feat = features(featFile);
        int l = (int) Math.round(Math.sqrt(feat[0].length));
        Path distFile = find(root, "distance", pdb + "-cb.npy");
        double[] dist = distances(distFile, l);
        int half = PAD / 2;
        int lp = l + PAD;
        int rx = 0;
        int ry = 0;
        if (lp > w) {
            // python's random.randint(0, lp - w) includes both ends
            rx = crops.nextInt(lp - w + 1);
            ry = crops.nextInt(lp - w + 1);
        }
        int ww = w * w;
        for (int r = 0; r < w; r++) {
            for (int c = 0; c < w; c++) {
                int i = r + rx - half;
                int j = c + ry - half;
                boolean inside = i >= 0 && i < l && j >= 0 && j < l;
                float t;
                if (inside) {
                    double d = dist[i * l + j];
                    t = Double.isNaN(d) ? Float.NaN : (float) d;
                } else {
                    t = 100f; // ORCA's padding and window fill
                }
                if (clip > 0 && t > clip) {
                    t = clip;
                }
                y[yOff + r * w + c] = Float.isNaN(t) ? 0f : t;
                if (inside) {
                    for (int ch = 0; ch < CHANNELS; ch++) {
                        double v = feat[ch][i * l + j];
                        x[xOff + ch * ww + r * w + c] = Double.isNaN(v) ? 0f : (float) v;
                    }
                }
            }
        }
        return new ProteinWindow(l, half - rx, half - ry);
    }

    /** PDNet looks a protein up in every set's folder; the last one that has it wins. */
    private static Path find(Path root, String kind, String file) {
        Path found = null;
        for (String set : SETS) {
            Path p = root.resolve(set).resolve(kind).resolve(file);
            if (Files.isRegularFile(p)) {
                found = p;
            }
        }
        if (found == null) {
            throw new CorruptDataException(root.toString(), kind + " of " + file, "<set>/" + kind + "/" + file
                    + " for one of " + Arrays.toString(SETS), "no such file");
        }
        return found;
    }

    /**
     * The 57 pair channels of one protein ({@code get_feature}), each an L x L row-major map.
     */
    static double[][] features(Path f) throws IOException {
        Map<?, ?> d = Nb360Loaders.map(NumpyPickle.read(f), f);
        Object seq = Nb360Loaders.get(d, "seq", f);
        int l = seq instanceof byte[] b ? b.length : String.valueOf(seq).length();
        double[] ss = shaped(d, "ss", f, 3, l);
        double[] pssm = shaped(d, "pssm", f, l, 22);
        double[] sa = shaped(d, "sa", f, l);
        double[] entropy = shaped(d, "entropy", f, l);
        double[] ccmpred = shaped(d, "ccmpred", f, l, l);
        double[] freecon = shaped(d, "freecon", f, l, l);
        double[] potential = shaped(d, "potential", f, l, l);
        double[][] out = new double[CHANNELS][l * l];
        int fi = 0;
        for (int j = 0; j < 3; j++) {
            final int row = j;
            fi = pair(out, fi, l, k -> ss[row * l + k]);
        }
        for (int j = 0; j < 22; j++) {
            final int col = j;
            fi = pair(out, fi, l, k -> pssm[k * 22 + col]);
        }
        fi = pair(out, fi, l, k -> sa[k]);
        fi = pair(out, fi, l, k -> entropy[k]);
        for (double[] m : new double[][]{ccmpred, freecon, potential}) {
            System.arraycopy(m, 0, out[fi++], 0, l * l);
        }
        for (int c = 0; c < CHANNELS; c++) {
            for (double v : out[c]) {
                if (!(v < 100.0 && v > -100.0) && !Double.isNaN(v)) {
                    throw new CorruptDataException(f.toString(), "feature channel " + c,
                            "values in (-100, 100) as PDNet asserts", String.valueOf(v));
                }
            }
        }
        return out;
    }

    /** A per-residue feature as two channels: the value of residue j at (i, j), then the value of residue i. */
    private static int pair(double[][] out, int fi, int l, java.util.function.IntToDoubleFunction v) {
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                out[fi][i * l + j] = v.applyAsDouble(j);
                out[fi + 1][i * l + j] = v.applyAsDouble(i);
            }
        }
        return fi + 2;
    }

    private static double[] shaped(Map<?, ?> d, String key, Path f, long... shape) {
        NdArray a = Nb360Loaders.array(Nb360Loaders.get(d, key, f), f, key);
        if (!Arrays.equals(a.shape(), shape)) {
            throw new CorruptDataException(f.toString(), "field " + key, "shape " + Arrays.toString(shape)
                    + " (L = length of seq)", Arrays.toString(a.shape()));
        }
        return a.toDoubleArray();
    }

    /**
     * The distance map ({@code get_map}) as an L x L row-major array, L the feature length: C-beta distances with
     * values below 1 raised to 1 and the diagonal replaced by its neighbours' mean.
     */
    static double[] distances(Path f, int l) throws IOException {
        NdArray a = NpyReader.read(f);
        if (a.dtype() != NdArray.DType.OBJECT || a.size() != 3) {
            throw new CorruptDataException(f.toString(), "array", "an object array (L, sequence, cb_map)", a.toString());
        }
        boolean cameo = f.toString().contains("cameo");
        int ly = (int) NumpyPickle.asLong(a.getObject(0));
        NdArray map = Nb360Loaders.array(a.getObject(2), f, "cb_map");
        if (map.shape().length != 2 || map.shape()[0] != ly || map.shape()[1] != ly) {
            throw new CorruptDataException(f.toString(), "cb_map", "shape (" + ly + ", " + ly + ")",
                    Arrays.toString(map.shape()));
        }
        if (ly > l || (!cameo && ly != l)) {
            throw new CorruptDataException(f.toString(), "L", "the feature file's sequence length " + l, ly + "");
        }
        double[] m = map.toDoubleArray();
        double[] y = new double[l * l];
        Arrays.fill(y, Double.NaN);
        for (int i = 0; i < ly; i++) {
            for (int j = 0; j < ly; j++) {
                double v = m[i * ly + j];
                if (Double.isNaN(v) && !cameo) {
                    throw new CorruptDataException(f.toString(), "cb_map[" + i + ", " + j + "]",
                            "a distance (only CAMEO maps have gaps)", "NaN");
                }
                y[i * l + j] = v < 1.0 ? 1.0 : v;
            }
        }
        if (ly >= 2) {
            y[0] = y[1];
            y[(ly - 1) * l + ly - 1] = y[(ly - 1) * l + ly - 2];
        }
        for (int q = 1; q < ly - 1; q++) {
            double self = y[q * l + q];
            double left = y[q * l + q - 1];
            double right = y[q * l + q + 1];
            if (Double.isNaN(self)) {
                continue;
            }
            if (Double.isNaN(left) && Double.isNaN(right)) {
                y[q * l + q] = 1.0;
            } else if (Double.isNaN(left)) {
                y[q * l + q] = right;
            } else if (Double.isNaN(right)) {
                y[q * l + q] = left;
            } else {
                y[q * l + q] = (left + right) / 2.0;
            }
        }
        for (double v : y) {
            if (v > 500.0) {
                throw new CorruptDataException(f.toString(), "cb_map", "distances of at most 500 Angstrom", v + "");
            }
        }
        return y;
    }
}
