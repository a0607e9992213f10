package dev.mona.core.task;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.MatReader;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NpyReader;
import dev.mona.core.io.formats.NpzReader;
import dev.mona.core.io.formats.NumpyPickle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * ORCA's NAS-Bench-360 data loaders ({@code src/data_loaders.py}), as Java. Exact where ORCA's preprocessing is
 * deterministic; where ORCA draws a numpy or scikit-learn permutation the same fractions are used with a seeded Java
 * permutation ({@link LoadOptions#seed()}), so the particular samples differ:
 * <ul>
 *   <li>{@code cifar100}: pixels / 255, per-channel normalisation with CIFAR-100's mean and std; validation =
 *       10,000 seeded training images (NAS-Bench-360's 40k/10k split). ORCA's random crop and flip are training-time
 *       augmentation and are not applied here (approximation);</li>
 *   <li>{@code spherical}: pixels / 255; validation = as many seeded training images as the test set has;</li>
 *   <li>{@code darcy}: exact: stride-5 subsampling of the 421 x 421 fields to 85 x 85, samples 0-899 of
 *       {@code smooth1} train, 900-999 validation, 0-99 of {@code smooth2} test; unit-Gaussian normalisers of input
 *       and target fitted on the 900 training samples; input channels (a, x, y) with x along columns and y along
 *       rows in [0, 1]; targets stay normalised and {@link LoadedTask#targetNormalizer()} decodes them;</li>
 *   <li>{@code ninapro}: exact: the official train / validation / test files, (N, 52, 16) to (N, 1, 16, 52);</li>
 *   <li>{@code ecg}: records standardised one by one; records split 80 / 10 / 10 (seeded, ORCA: scikit-learn with
 *       random_state 0), then cut into 1000-sample windows with ORCA's class-dependent strides (500, 83, 250, 25);
 *       training windows shuffled (seeded);</li>
 *   <li>{@code satellite}: labels - 1; validation = as many seeded training samples as the test set has, disjoint
 *       from training (ORCA's slicing made them overlap);</li>
 *   <li>{@code deepsea}: exact: the official splits, (N, 1000, 4) one-hot to (N, 4, 1000);</li>
 *   <li>{@code psicov}, {@code cosmic}, {@code fsd50k}: see {@link PsicovLoader}, {@link CosmicLoader} and
 *       {@link Fsd50kLoader}.</li>
 * </ul>
 */
final class Nb360Loaders {
    private static final float[] CIFAR100_MEAN = {0.5071f, 0.4867f, 0.4408f};
    private static final float[] CIFAR100_STD = {0.2675f, 0.2565f, 0.2761f};

    private Nb360Loaders() {
    }

    static LoadedTask cifar100(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        Path dir = files.extracted("cifar-100-python.tar.gz").resolve("cifar-100-python");
        DataSplit train = cifarSplit(dir.resolve("train"), o.limit() > 0 ? o.limit() + 10_000 : 0);
        DataSplit test = cifarSplit(dir.resolve("test"), o.limit());
        ValidationSplit.Carved c = ValidationSplit.carveCount(train, Math.min(10_000, train.size() / 5), o.seed());
        return LoadedTask.of(limited(c.train(), c.validation(), test, o));
    }

    private static DataSplit cifarSplit(Path pickle, int limit) throws IOException {
        Map<?, ?> d = map(NumpyPickle.read(pickle), pickle);
        NdArray data = array(get(d, "data", pickle), pickle, "data");
        List<?> labels = list(get(d, "fine_labels", pickle), pickle, "fine_labels");
        int n = limit > 0 ? Math.min(limit, (int) data.shape()[0]) : (int) data.shape()[0];
        float[] x = new float[n * 3072];
        for (int i = 0; i < n * 3072; i++) {
            int ch = (i % 3072) / 1024;
            x[i] = ((float) (data.getDouble(i) / 255.0) - CIFAR100_MEAN[ch]) / CIFAR100_STD[ch];
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = NumpyPickle.asLong(labels.get(i));
        }
        return new DataSplit(new HostTensor(x, new long[]{n, 3, 32, 32}), new HostTensor(y, new long[]{n}));
    }

    static LoadedTask spherical(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        Path f = files.file("s2_cifar100.gz");
        Map<?, ?> d = map(NumpyPickle.read(f), f);
        DataSplit train = sphericalSplit(map(get(d, "train", f), f), f);
        DataSplit test = sphericalSplit(map(get(d, "test", f), f), f);
        ValidationSplit.Carved c = ValidationSplit.carveCount(train, Math.min(test.size(), train.size() / 5), o.seed());
        return LoadedTask.of(limited(c.train(), c.validation(), test, o));
    }

    private static DataSplit sphericalSplit(Map<?, ?> part, Path f) {
        NdArray images = array(get(part, "images", f), f, "images");
        NdArray labels = array(get(part, "labels", f), f, "labels");
        long[] shape = images.shape();
        if (shape.length != 4 || shape[1] != 3) {
            throw new CorruptDataException(f.toString(), "field images", "images of shape (N, 3, 60, 60)",
                    Arrays.toString(shape));
        }
        float[] x = images.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            x[i] /= 255f;
        }
        return new DataSplit(new HostTensor(x, shape), new HostTensor(labels.toFloatArray(), new long[]{shape[0]}));
    }

    static LoadedTask darcy(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        int r = 5;
        Path trainFile = files.file("piececonst_r421_N1024_smooth1.mat");
        Path testFile = files.file("piececonst_r421_N1024_smooth2.mat");
        NdArray a1 = MatReader.read(trainFile, "coeff", 1, r, r);
        NdArray u1 = MatReader.read(trainFile, "sol", 1, r, r);
        NdArray a2 = MatReader.read(testFile, "coeff", 1, r, r);
        NdArray u2 = MatReader.read(testFile, "sol", 1, r, r);
        int s = (int) a1.shape()[1];
        int nTrain = 900;
        int nVal = 100;
        int nTest = 100;
        if (a1.shape()[0] < nTrain + nVal || a2.shape()[0] < nTest) {
            // small files (tests, partial mirrors): keep ORCA's 9 : 1 proportion
            nVal = Math.max(1, (int) a1.shape()[0] / 10);
            nTrain = (int) a1.shape()[0] - nVal;
            nTest = (int) Math.min(nTest, a2.shape()[0]);
        }
        HostTensor xTrain = rows(a1, 0, nTrain, s);
        HostTensor yTrain = rows(u1, 0, nTrain, s);
        HostTensor xVal = rows(a1, nTrain, nTrain + nVal, s);
        HostTensor yVal = rows(u1, nTrain, nTrain + nVal, s);
        HostTensor xTest = rows(a2, 0, nTest, s);
        HostTensor yTest = rows(u2, 0, nTest, s);
        UnitGaussianNormalizer xn = UnitGaussianNormalizer.fit(xTrain);
        UnitGaussianNormalizer yn = UnitGaussianNormalizer.fit(yTrain);
        TaskData data = new TaskData(
                new DataSplit(withGrid(xn.encode(xTrain), s), yn.encode(yTrain)),
                new DataSplit(withGrid(xn.encode(xVal), s), yn.encode(yVal)),
                new DataSplit(withGrid(xn.encode(xTest), s), yn.encode(yTest)));
        return new LoadedTask(limited(data.train(), data.validation(), data.test(), o), yn);
    }

    /** Samples [from, to) of an (N, s, s) field as (n, 1, s, s). */
    private static HostTensor rows(NdArray a, int from, int to, int s) {
        float[] all = a.toFloatArray();
        return new HostTensor(Arrays.copyOfRange(all, from * s * s, to * s * s), new long[]{to - from, 1, s, s});
    }

    /** Appends ORCA's grid channels: x = linspace(0, 1, s) along columns, y along rows. */
    static HostTensor withGrid(HostTensor a, int s) {
        int n = a.rows();
        float[] out = new float[n * 3 * s * s];
        float[] in = a.data();
        for (int i = 0; i < n; i++) {
            System.arraycopy(in, i * s * s, out, i * 3 * s * s, s * s);
            for (int r = 0; r < s; r++) {
                for (int c = 0; c < s; c++) {
                    out[i * 3 * s * s + s * s + r * s + c] = s == 1 ? 0 : (float) c / (s - 1);
                    out[i * 3 * s * s + 2 * s * s + r * s + c] = s == 1 ? 0 : (float) r / (s - 1);
                }
            }
        }
        return new HostTensor(out, new long[]{n, 3, s, s});
    }

    static LoadedTask ninapro(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        // the model reads (1, channels, time steps); the files hold (N, time steps, channels)
        long channels = spec.inputShape()[1];
        long steps = spec.inputShape()[2];
        DataSplit train = ninaproSplit(files, "ninapro_train.npy", "label_train.npy", steps, channels);
        DataSplit val = ninaproSplit(files, "ninapro_val.npy", "label_val.npy", steps, channels);
        DataSplit test = ninaproSplit(files, "ninapro_test.npy", "label_test.npy", steps, channels);
        return LoadedTask.of(limited(train, val, test, o));
    }

    /**
     * One split, checked at load: windows of shape (N, steps, channels) and one label per window; a transposed or
     * otherwise reshaped file is named here rather than failing later inside the embedder.
     */
    private static DataSplit ninaproSplit(TaskFiles files, String data, String labels, long steps, long channels)
            throws IOException {
        Path f = files.file(data);
        NdArray x = NpyReader.read(f);
        long[] shape = x.shape();
        if (shape.length != 3 || shape[1] != steps || shape[2] != channels) {
            boolean transposed = shape.length == 3 && shape[1] == channels && shape[2] == steps;
            throw new CorruptDataException(f.toString(), "array " + data, "shape (N, " + steps + ", " + channels
                    + ") (windows of " + steps + " time steps x " + channels + " channels)", Arrays.toString(shape)
                    + (transposed ? " (time and channels transposed: save the array as (N, " + steps + ", "
                    + channels + "))" : ""));
        }
        Path lf = files.file(labels);
        NdArray y = NpyReader.read(lf);
        if (y.shape().length != 1 || y.shape()[0] != shape[0]) {
            throw new CorruptDataException(lf.toString(), "array " + labels, "shape [" + shape[0] + "] (one label per"
                    + " window of " + data + ")", Arrays.toString(y.shape()));
        }
        return new DataSplit(transposeLast2(x, true), labelTensor(y, 0));
    }

    static LoadedTask ecg(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        Path f = files.file("challenge2017.pkl");
        Map<?, ?> res = map(NumpyPickle.read(f), f);
        List<Object> records = items(get(res, "data", f), f, "data");
        List<Object> labels = items(get(res, "label", f), f, "label");
        if (records.size() != labels.size()) {
            throw new CorruptDataException(f.toString(), "fields data and label", "one label per record",
                    records.size() + " records and " + labels.size() + " labels");
        }
        int n = records.size();
        int[] perm = ValidationSplit.permutation(n, o.seed());
        int nTest = (int) Math.round(0.1 * n);
        int nVal = (int) Math.round(0.1 * n);
        int nTrain = n - nTest - nVal;
        int[] trainIdx = Arrays.copyOfRange(perm, 0, nTrain);
        int[] valIdx = Arrays.copyOfRange(perm, nTrain, nTrain + nVal);
        int[] testIdx = Arrays.copyOfRange(perm, nTrain + nVal, n);
        DataSplit train = ecgWindows(records, labels, trainIdx, f, o.limit());
        int[] shuffle = ValidationSplit.permutation(train.size(), o.seed() + 1);
        train = new DataSplit(train.x().rows(shuffle), train.y().rows(shuffle));
        return LoadedTask.of(limited(train, ecgWindows(records, labels, valIdx, f, o.limit()),
                ecgWindows(records, labels, testIdx, f, o.limit()), o));
    }

    /** ORCA's {@code slide_and_cut}: windows of 1000 with a stride of 500, 500 / 6, 500 / 2 or 500 / 20 by class. */
    static DataSplit ecgWindows(List<Object> records, List<Object> labels, int[] idx, Path f, int limit) {
        int window = 1000;
        int[] strides = {500, 500 / 6, 500 / 2, 500 / 20};
        List<float[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i : idx) {
            int label = ecgLabel(labels.get(i), f);
            double[] v = array(records.get(i), f, "data[" + i + "]").toDoubleArray();
            standardise(v);
            for (int j = 0; j < v.length - window; j += strides[label]) {
                float[] w = new float[window];
                for (int k = 0; k < window; k++) {
                    w[k] = (float) v[j + k];
                }
                xs.add(w);
                ys.add(label);
                if (limit > 0 && xs.size() >= limit) {
                    break;
                }
            }
            if (limit > 0 && xs.size() >= limit) {
                break;
            }
        }
        float[] x = new float[xs.size() * window];
        float[] y = new float[xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, x, i * window, window);
            y[i] = ys.get(i);
        }
        return new DataSplit(new HostTensor(x, new long[]{xs.size(), 1, window}), new HostTensor(y, new long[]{y.length}));
    }

    /** (x - mean) / std with numpy's population std, per record. */
    static void standardise(double[] v) {
        double mean = 0;
        for (double d : v) {
            mean += d;
        }
        mean /= v.length;
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        double std = Math.sqrt(ss / v.length);
        for (int i = 0; i < v.length; i++) {
            v[i] = (v[i] - mean) / std;
        }
    }

    private static int ecgLabel(Object o, Path f) {
        String s = o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(o);
        return switch (s) {
            case "N" -> 0;
            case "A" -> 1;
            case "O" -> 2;
            case "~" -> 3;
            default -> throw new CorruptDataException(f.toString(), "field label", "one of N, A, O, ~", "'" + s + "'");
        };
    }

    static LoadedTask satellite(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        DataSplit train = satelliteSplit(files.file("satellite_train.npy"));
        DataSplit test = satelliteSplit(files.file("satellite_test.npy"));
        int k = Math.min(test.size(), Math.max(1, (int) Math.round(o.validationFraction() * train.size())));
        ValidationSplit.Carved c = ValidationSplit.carveCount(train, k, o.seed());
        return LoadedTask.of(limited(c.train(), c.validation(), test, o));
    }

    private static DataSplit satelliteSplit(Path f) throws IOException {
        NdArray a = NpyReader.read(f);
        Object payload = a.dtype() == NdArray.DType.OBJECT && a.size() == 1 ? a.getObject(0) : a;
        Map<?, ?> d = map(payload, f);
        NdArray x = array(get(d, "data", f), f, "data");
        NdArray y = array(get(d, "label", f), f, "label");
        long n = x.shape()[0];
        long len = x.size() / Math.max(1, n);
        return new DataSplit(new HostTensor(x.toFloatArray(), new long[]{n, 1, len}), labelTensor(y, -1));
    }

    static LoadedTask deepsea(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        Path f = files.file("deepsea_filtered.npz");
        try (NpzReader npz = NpzReader.open(f)) {
            DataSplit train = deepseaSplit(npz, "train", f);
            DataSplit val = deepseaSplit(npz, "val", f);
            DataSplit test = deepseaSplit(npz, "test", f);
            return LoadedTask.of(limited(train, val, test, o));
        }
    }

    private static DataSplit deepseaSplit(NpzReader npz, String part, Path f) throws IOException {
        NdArray x = npz.get("x_" + part);
        NdArray y = npz.get("y_" + part);
        if (x.shape().length != 3) {
            throw new CorruptDataException(f.toString(), "member x_" + part, "one-hot DNA of shape (N, 1000, 4)",
                    Arrays.toString(x.shape()));
        }
        return new DataSplit(transposeLast2(x, false), new HostTensor(y.toFloatArray(), y.shape()));
    }

    /** (N, A, B) to (N, B, A), optionally with a unit channel: (N, 1, B, A). */
    static HostTensor transposeLast2(NdArray x, boolean addChannel) {
        int n = (int) x.shape()[0];
        int a = (int) x.shape()[1];
        int b = (int) x.shape()[2];
        float[] out = new float[n * a * b];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < a; p++) {
                for (int q = 0; q < b; q++) {
                    out[i * a * b + q * a + p] = (float) x.getDouble(i * a * b + p * b + q);
                }
            }
        }
        return new HostTensor(out, addChannel ? new long[]{n, 1, b, a} : new long[]{n, b, a});
    }

    private static HostTensor labelTensor(NdArray y, int offset) {
        float[] v = y.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += offset;
        }
        return new HostTensor(v, new long[]{v.length});
    }

    static TaskData limited(DataSplit train, DataSplit val, DataSplit test, LoadOptions o) {
        return new TaskData(limit(train, o.limit()), limit(val, o.limit()), limit(test, o.limit()));
    }

    private static DataSplit limit(DataSplit s, int n) {
        if (n <= 0 || s.size() <= n) {
            return s;
        }
        return new DataSplit(s.x().slice(0, n), s.y().slice(0, n));
    }

    // --- access to unpickled structures, with errors that name the file and field

    static Map<?, ?> map(Object o, Path f) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new CorruptDataException(f.toString(), "top level", "a dict", describe(o));
    }

    static Object get(Map<?, ?> m, String key, Path f) {
        if (m.containsKey(key)) {
            return m.get(key);
        }
        // Python 3 bytes keys (e.g. b'data' in the CIFAR pickles)
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey() instanceof byte[] b && new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).equals(key)) {
                return e.getValue();
            }
        }
        List<String> keys = new ArrayList<>();
        for (Object k : m.keySet()) {
            keys.add(k instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(k));
        }
        throw new CorruptDataException(f.toString(), "field " + key, "a key '" + key + "'", "only " + keys);
    }

    static NdArray array(Object o, Path f, String field) {
        if (o instanceof NdArray a) {
            return a;
        }
        if (o instanceof Collection<?> c) {
            double[] v = new double[c.size()];
            int i = 0;
            for (Object x : c) {
                v[i++] = ((Number) x).doubleValue();
            }
            return new NdArray(NdArray.DType.FLOAT64, new long[]{v.length}, v);
        }
        throw new CorruptDataException(f.toString(), "field " + field, "a numpy array", describe(o));
    }

    static List<?> list(Object o, Path f, String field) {
        if (o instanceof List<?> l) {
            return l;
        }
        return items(o, f, field);
    }

    /** Elements of a list, tuple or 1-D object/string array. */
    static List<Object> items(Object o, Path f, String field) {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (o instanceof Object[] a) {
            return Arrays.asList(a);
        }
        if (o instanceof NdArray a) {
            List<Object> out = new ArrayList<>(a.size());
            if (a.dtype() == NdArray.DType.OBJECT) {
                out.addAll(Arrays.asList((Object[]) a.data()));
            } else if (a.shape().length == 2) {
                // a 2-D numeric array: one record per row
                int n = (int) a.shape()[0];
                int len = a.size() / Math.max(1, n);
                double[] all = a.toDoubleArray();
                for (int i = 0; i < n; i++) {
                    out.add(new NdArray(NdArray.DType.FLOAT64, new long[]{len}, Arrays.copyOfRange(all, i * len, (i + 1) * len)));
                }
            } else {
                for (int i = 0; i < a.size(); i++) {
                    out.add(a.getDouble(i));
                }
            }
            return out;
        }
        throw new CorruptDataException(f.toString(), "field " + field, "a list or array", describe(o));
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
