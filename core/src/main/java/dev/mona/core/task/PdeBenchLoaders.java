package dev.mona.core.task;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.Hdf5Reader;
import dev.mona.core.io.formats.NdArray;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * ORCA's PDEBench loaders ({@code load_pde}, {@code UNetDatasetSingle}, {@code UNetDatasetMult}) as Java. Every
 * task maps the field at the first time step to the field at time step {@code t_train} (capped at the last stored
 * step after temporal subsampling). Exact in what is read:
 * <ul>
 *   <li>single-file sets ({@code tensor} of shape (N, T, X), 1-D CFD's {@code density}, {@code pressure},
 *       {@code Vx}): spatial stride {@code r}, temporal stride {@code rt}; the first 10% of the samples are the test
 *       split, the rest training (ORCA's {@code test_ratio = 0.1});</li>
 *   <li>1-D CFD: the three variables are concatenated channel after channel into one 3 x 1024 row and normalised
 *       with one unit-Gaussian normaliser (ORCA uses it for inputs and targets);</li>
 *   <li>Darcy ({@code nu} (N, H, W) to {@code tensor} (N, 1, H, W)) with spatial stride 2 (128 to 64);</li>
 *   <li>multi-file sets (one group per sample holding {@code data} of shape (T, X..., C), keys sorted): the last 10%
 *       of the keys are the test split; for two channels (2-D diffusion-reaction) the input is channel 0 at t = 0
 *       and the target channel 1 at t_train, as in ORCA's code.</li>
 * </ul>
 * Deviations: ORCA evaluates on its test split without a validation split; here validation is carved from training
 * ({@link ValidationSplit}, {@link LoadOptions#validationFraction()}, seeded), and the 1-D CFD normaliser is fitted
 * on the remaining training samples only.
 */
final class PdeBenchLoaders {
    private static final int BLOCK = 64;

    private PdeBenchLoaders() {
    }

    /**
     * @param kind      {@code tensor} (scalar field) or {@code cfd} (density, pressure, Vx)
     * @param r         spatial stride
     * @param rt        temporal stride
     * @param tTrain    target time step (1-based, capped)
     * @param normalise fit a unit-Gaussian normaliser on the training inputs and apply it to inputs and targets
     */
    static TaskLoader singleFile1d(String kind, int r, int rt, int tTrain, boolean normalise) {
        return (spec, files, o) -> {
            Path f = files.file(spec.files().get(0).name());
            List<String> fields = kind.equals("cfd") ? List.of("density", "pressure", "Vx") : List.of("tensor");
            try (Hdf5Reader h = Hdf5Reader.open(f)) {
                long[] shape = h.shape(fields.get(0));
                if (shape.length != 3) {
                    throw new CorruptDataException(f.toString(), "dataset " + fields.get(0), "shape (samples, time, x)",
                            Arrays.toString(shape));
                }
                int n = (int) shape[0];
                int steps = (int) Math.ceil(shape[1] / (double) rt);
                int tIndex = (Math.min(tTrain, steps) - 1) * rt;
                int nTest = (int) (n * 0.1);
                int testCount = o.limit() > 0 ? Math.min(o.limit(), nTest) : nTest;
                int trainCount = o.limit() > 0 ? Math.min(n - nTest, 2 * o.limit() + 2) : n - nTest;
                DataSplit test = read1d(h, fields, 0, testCount, tIndex, r, shape);
                DataSplit train = read1d(h, fields, nTest, trainCount, tIndex, r, shape);
                return finish(train, test, normalise, o);
            }
        };
    }

    private static DataSplit read1d(Hdf5Reader h, List<String> fields, int from, int count, int tIndex, int r,
                                    long[] shape) {
        int x = (int) shape[2];
        int xs = x / r;
        int row = fields.size() * xs;
        float[] in = new float[count * row];
        float[] out = new float[count * row];
        for (int b = 0; b < count; b += BLOCK) {
            int m = Math.min(BLOCK, count - b);
            for (int fi = 0; fi < fields.size(); fi++) {
                NdArray first = h.readSlab(fields.get(fi), new long[]{from + b, 0, 0}, new int[]{m, 1, x});
                NdArray last = h.readSlab(fields.get(fi), new long[]{from + b, tIndex, 0}, new int[]{m, 1, x});
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < xs; j++) {
                        in[(b + i) * row + fi * xs + j] = (float) first.getDouble(i * x + j * r);
                        out[(b + i) * row + fi * xs + j] = (float) last.getDouble(i * x + j * r);
                    }
                }
            }
        }
        return new DataSplit(new HostTensor(in, new long[]{count, 1, row}), new HostTensor(out, new long[]{count, 1, row}));
    }

    /** PDEBench Darcy: {@code nu} to {@code tensor[:, 0]}, spatial stride {@code r}. */
    static TaskLoader darcy2d(int r) {
        return (spec, files, o) -> {
            Path f = files.file(spec.files().get(0).name());
            try (Hdf5Reader h = Hdf5Reader.open(f)) {
                long[] nu = h.shape("nu");
                long[] u = h.shape("tensor");
                if (nu.length != 3 || u.length != 4 || u[0] != nu[0]) {
                    throw new CorruptDataException(f.toString(), "datasets nu and tensor", "shapes (N, H, W) and"
                            + " (N, 1, H, W)", Arrays.toString(nu) + " and " + Arrays.toString(u));
                }
                int n = (int) nu[0];
                int nTest = (int) (n * 0.1);
                int testCount = o.limit() > 0 ? Math.min(o.limit(), nTest) : nTest;
                int trainCount = o.limit() > 0 ? Math.min(n - nTest, 2 * o.limit() + 2) : n - nTest;
                return finish(readDarcy(h, nTest, trainCount, nu, r), readDarcy(h, 0, testCount, nu, r), false, o);
            }
        };
    }

    private static DataSplit readDarcy(Hdf5Reader h, int from, int count, long[] shape, int r) {
        int hh = (int) shape[1];
        int ww = (int) shape[2];
        int hs = hh / r;
        int ws = ww / r;
        float[] in = new float[count * hs * ws];
        float[] out = new float[count * hs * ws];
        for (int b = 0; b < count; b += BLOCK) {
            int m = Math.min(BLOCK, count - b);
            NdArray a = h.readSlab("nu", new long[]{from + b, 0, 0}, new int[]{m, hh, ww});
            NdArray u = h.readSlab("tensor", new long[]{from + b, 0, 0, 0}, new int[]{m, 1, hh, ww});
            for (int i = 0; i < m; i++) {
                for (int y = 0; y < hs; y++) {
                    for (int x = 0; x < ws; x++) {
                        int src = i * hh * ww + y * r * ww + x * r;
                        int dst = (b + i) * hs * ws + y * ws + x;
                        in[dst] = (float) a.getDouble(src);
                        out[dst] = (float) u.getDouble(src);
                    }
                }
            }
        }
        return new DataSplit(new HostTensor(in, new long[]{count, 1, hs, ws}),
                new HostTensor(out, new long[]{count, 1, hs, ws}));
    }

    /**
     * Multi-sample files: group {@code <key>/data} of shape (T, X, C) or (T, X, Y, C).
     *
     * @param tTrain target time step (1-based, capped at T)
     * @param twoD   whether the fields are 2-D
     */
    static TaskLoader multiFile(int tTrain, boolean twoD) {
        return (spec, files, o) -> {
            Path f = files.file(spec.files().get(0).name());
            try (Hdf5Reader h = Hdf5Reader.open(f)) {
                List<String> keys = h.rootNames();
                int split = (int) (keys.size() * 0.9);
                List<String> trainKeys = keys.subList(0, split);
                List<String> testKeys = keys.subList(split, keys.size());
                if (o.limit() > 0) {
                    trainKeys = trainKeys.subList(0, Math.min(trainKeys.size(), 2 * o.limit() + 2));
                    testKeys = testKeys.subList(0, Math.min(testKeys.size(), o.limit()));
                }
                return finish(readMulti(h, trainKeys, tTrain, twoD, f), readMulti(h, testKeys, tTrain, twoD, f), false,
                        o);
            }
        };
    }

    private static DataSplit readMulti(Hdf5Reader h, List<String> keys, int tTrain, boolean twoD, Path f) {
        float[] in = null;
        float[] out = null;
        long[] sample = null;
        for (int k = 0; k < keys.size(); k++) {
            String path = keys.get(k) + "/data";
            long[] shape = h.shape(path);
            if (shape.length != (twoD ? 4 : 3)) {
                throw new CorruptDataException(f.toString(), "dataset " + path, twoD ? "shape (T, X, Y, C)"
                        : "shape (T, X, C)", Arrays.toString(shape));
            }
            int t = (int) Math.min(tTrain, shape[0]) - 1;
            int c = (int) shape[shape.length - 1];
            int points = (int) (shape[1] * (twoD ? shape[2] : 1));
            int[] count = new int[shape.length];
            count[0] = 1;
            for (int i = 1; i < shape.length; i++) {
                count[i] = (int) shape[i];
            }
            long[] first = new long[shape.length];
            long[] last = new long[shape.length];
            last[0] = t;
            NdArray a = h.readSlab(path, first, count);
            NdArray b = h.readSlab(path, last, count);
            // two channels: input channel 0, target channel 1 (ORCA); otherwise all channels both ways
            int inC = c == 2 ? 1 : c;
            if (in == null) {
                long[] spatial = twoD ? new long[]{shape[1], shape[2]} : new long[]{shape[1]};
                sample = new long[spatial.length + 1];
                sample[0] = inC;
                System.arraycopy(spatial, 0, sample, 1, spatial.length);
                in = new float[keys.size() * inC * points];
                out = new float[keys.size() * inC * points];
            }
            for (int ch = 0; ch < inC; ch++) {
                int outCh = c == 2 ? 1 : ch;
                for (int p = 0; p < points; p++) {
                    in[(k * inC + ch) * points + p] = (float) a.getDouble(p * c + ch);
                    out[(k * inC + ch) * points + p] = (float) b.getDouble(p * c + outCh);
                }
            }
        }
        if (in == null) {
            throw new CorruptDataException(f.toString(), "root group", "sample groups", "none");
        }
        long[] xs = new long[sample.length + 1];
        xs[0] = keys.size();
        System.arraycopy(sample, 0, xs, 1, sample.length);
        return new DataSplit(new HostTensor(in, xs), new HostTensor(out, xs.clone()));
    }

    private static LoadedTask finish(DataSplit train, DataSplit test, boolean normalise, LoadOptions o) {
        ValidationSplit.Carved c = ValidationSplit.carve(train, o.validationFraction(), o.seed());
        DataSplit tr = c.train();
        DataSplit va = c.validation();
        if (!normalise) {
            return LoadedTask.of(Nb360Loaders.limited(tr, va, test, o));
        }
        UnitGaussianNormalizer norm = UnitGaussianNormalizer.fit(tr.x());
        TaskData data = new TaskData(
                new DataSplit(norm.encode(tr.x()), norm.encode(tr.y())),
                new DataSplit(norm.encode(va.x()), norm.encode(va.y())),
                new DataSplit(norm.encode(test.x()), norm.encode(test.y())));
        return new LoadedTask(Nb360Loaders.limited(data.train(), data.validation(), data.test(), o), norm);
    }
}
