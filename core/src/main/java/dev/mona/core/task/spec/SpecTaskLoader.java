package dev.mona.core.task.spec;

import dev.mona.core.UserError.Kind;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.task.LoadOptions;
import dev.mona.core.task.LoadedTask;
import dev.mona.core.task.TaskFiles;
import dev.mona.core.task.TaskLoader;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.task.ValidationSplit;
import dev.mona.core.task.spec.TaskSpecFile.ArrayRef;
import dev.mona.core.task.spec.TaskSpecFile.Part;
import dev.mona.core.task.spec.TaskSpecFile.TargetKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds a spec task's splits from its files, checking every array on the way: shape and dtype against the spec,
 * finite values, labels in {@code [0, K)} (0/1 for multi-label), equal row counts of inputs and targets, no empty
 * split. The validation split is carved from train when the spec gives none; inputs are z-scored per channel with
 * the train split's statistics when the spec asks for it. {@link #check} adds what only a whole data set can tell
 * (a train split smaller than a batch) and the warnings (train/test overlap by content, classes missing from train).
 */
public final class SpecTaskLoader implements TaskLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SpecTaskLoader.class);

    private final TaskSpecFile file;

    public SpecTaskLoader(TaskSpecFile file) {
        this.file = file;
    }

    /** The spec this loader reads. */
    public TaskSpecFile file() {
        return file;
    }

    /** What {@link #check} found: split sizes and warnings. */
    public record Report(int train, int validation, int test, List<String> warnings) {
    }

    /** Per-channel z-score of the inputs (channel = the first dimension of a sample). */
    public record ChannelNormalizer(float[] mean, float[] std) {
        /** {@code (x - mean[c]) / std[c]} for every value of channel c. */
        public HostTensor encode(HostTensor x) {
            int channels = mean.length;
            int per = x.rowSize() / channels;
            float[] in = x.data();
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                int c = (i / per) % channels;
                out[i] = (in[i] - mean[c]) / std[c];
            }
            return new HostTensor(out, x.shape().clone());
        }

        static ChannelNormalizer fit(HostTensor x) {
            int channels = (int) x.shape()[1];
            int per = x.rowSize() / channels;
            double[] sum = new double[channels];
            double[] sq = new double[channels];
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                int c = (i / per) % channels;
                sum[c] += d[i];
                sq[c] += (double) d[i] * d[i];
            }
            float[] mean = new float[channels];
            float[] std = new float[channels];
            long n = (long) x.rows() * per;
            for (int c = 0; c < channels; c++) {
                double m = sum[c] / n;
                double var = Math.max(0, sq[c] / n - m * m);
                mean[c] = (float) m;
                // a constant channel stays at zero instead of dividing by zero
                std[c] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
            }
            return new ChannelNormalizer(mean, std);
        }
    }

    @Override
    public LoadedTask load(TaskSpec spec, TaskFiles files, LoadOptions options) throws IOException {
        TaskData all = splits(files, seed(options.seed()));
        int limit = options.limit();
        TaskData data = limit == 0 ? all : new TaskData(first(all.train(), limit), first(all.validation(), limit),
                first(all.test(), limit));
        return LoadedTask.of(data);
    }

    /**
     * Everything a run would find wrong with the data, before it is submitted: the checks of {@link #load} on the
     * whole data set, a train split (of at most {@code limit} samples, 0: all) of at least one batch of
     * {@code batch} samples, and the warnings.
     */
    public Report check(TaskFiles files, long runSeed, int batch, int limit) throws IOException {
        TaskData d = splits(files, seed(runSeed));
        int train = limit == 0 ? d.train().size() : Math.min(limit, d.train().size());
        if (train < batch) {
            throw new TaskSpecException(Kind.IMPOSSIBLE_SIZE, file.origin(), "the train split has " + train
                    + " samples" + (train < d.train().size() ? " (limit " + limit + ")" : "") + ", fewer than one "
                    + "batch (batch " + batch + "); add data or lower the batch (train.batch, -s batch=N)");
        }
        List<String> warnings = new ArrayList<>();
        int overlap = overlap(d.train().x(), d.test().x());
        if (overlap > 0) {
            warnings.add(overlap + " of " + d.test().size() + " test inputs also appear in train (same values): "
                    + "the test metric will be optimistic; remove them from one split");
        }
        if (file.target() == TargetKind.CLASSIFICATION) {
            TreeSet<Integer> missing = new TreeSet<>();
            for (int k = 0; k < file.spec().classes(); k++) {
                missing.add(k);
            }
            for (float v : d.train().y().data()) {
                missing.remove((int) v);
            }
            if (!missing.isEmpty()) {
                warnings.add("classes " + missing + " of " + file.spec().classes() + " never occur in the train "
                        + "split: the model cannot learn them");
            }
        }
        warnings.forEach(w -> LOG.warn("{}: {}", file.origin(), w));
        return new Report(d.train().size(), d.validation().size(), d.test().size(), warnings);
    }

    /** The normaliser the task's inputs go through (null when the spec asks for none), for {@code mona predict}. */
    public ChannelNormalizer normalizer(TaskFiles files, long runSeed) throws IOException {
        return file.normalize() ? ChannelNormalizer.fit(carved(files, seed(runSeed))[0].x()) : null;
    }

    /** New inputs for prediction: checked and shaped as the spec's inputs (rows first), not yet normalised. */
    public HostTensor inputs(NdArray raw, boolean csv, String where) {
        return inputTensor(raw, csv, where);
    }

    private long seed(long runSeed) {
        return file.data().seed() != null ? file.data().seed() : runSeed;
    }

    private TaskData splits(TaskFiles files, long seed) throws IOException {
        DataSplit[] tv = carved(files, seed);
        DataSplit test = split(file.data().test(), files, "test");
        if (file.normalize()) {
            ChannelNormalizer n = ChannelNormalizer.fit(tv[0].x());
            return new TaskData(normalised(tv[0], n), normalised(tv[1], n), normalised(test, n));
        }
        return new TaskData(tv[0], tv[1], test);
    }

    /** Train and validation: as given, or validation carved from train. */
    private DataSplit[] carved(TaskFiles files, long seed) throws IOException {
        DataSplit train = split(file.data().train(), files, "train");
        if (!file.data().validation().isEmpty()) {
            return new DataSplit[]{train, split(file.data().validation(), files, "validation")};
        }
        if (train.size() < 2) {
            throw new TaskSpecException(Kind.IMPOSSIBLE_SIZE, file.origin(), "the train split has " + train.size()
                    + " sample(s): a validation split cannot be carved from it; add data or give data.validation");
        }
        ValidationSplit.Carved c = ValidationSplit.carve(train, file.data().validationFraction(), seed);
        return new DataSplit[]{c.train(), c.validation()};
    }

    private static DataSplit normalised(DataSplit s, ChannelNormalizer n) {
        return new DataSplit(n.encode(s.x()), s.y());
    }

    private static DataSplit first(DataSplit s, int n) {
        return s.size() <= n ? s : new DataSplit(s.x().slice(0, n), s.y().slice(0, n));
    }

    private DataSplit split(List<Part> parts, TaskFiles files, String name) throws IOException {
        List<HostTensor> xs = new ArrayList<>();
        List<HostTensor> ys = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            String where = file.origin() + ": data." + name + (parts.size() > 1 ? "[" + i + "]" : "");
            HostTensor x = inputTensor(read(p.x(), p.y().columns(), files, where + " x"), csv(p.x()),
                    where + " x (" + p.x().describe() + ")");
            HostTensor y = targetTensor(read(p.y(), List.of(), files, where + " y"), csv(p.y()),
                    where + " y (" + p.y().describe() + ")");
            if (x.rows() != y.rows()) {
                throw new TaskSpecException(Kind.CORRUPT_DATA, where, "x (" + p.x().describe() + ") has " + x.rows()
                        + " rows but y (" + p.y().describe() + ") has " + y.rows() + "; each input needs one target");
            }
            xs.add(x);
            ys.add(y);
        }
        DataSplit s = new DataSplit(concat(xs), concat(ys));
        if (s.size() == 0) {
            throw new TaskSpecException(Kind.IMPOSSIBLE_SIZE, file.origin() + ": data." + name, "the split is empty; "
                    + "give files with at least one sample");
        }
        return s;
    }

    private static boolean csv(ArrayRef r) {
        return "csv".equals(SpecArrays.format(r.file()));
    }

    private NdArray read(ArrayRef r, List<String> exclude, TaskFiles files, String where) throws IOException {
        Path local = r.remote() ? files.file(r.fetchedName()) : Path.of(r.file());
        return SpecArrays.read(local, r.fetchedName(), r.array(), r.columns(), exclude, where);
    }

    private HostTensor inputTensor(NdArray a, boolean csv, String where) {
        long[] sample = file.spec().inputShape();
        long per = NdArray.elementCount(sample);
        if (a.dtype() == NdArray.DType.OBJECT || a.dtype() == NdArray.DType.BOOL) {
            throw new TaskSpecException(Kind.CORRUPT_DATA, where, "dtype " + SpecArrays.numpyName(a.dtype())
                    + " is not numeric; save the inputs as " + dtype());
        }
        if (!csv && !SpecArrays.numpyName(a.dtype()).equals(dtype())) {
            throw new TaskSpecException(Kind.CORRUPT_DATA, where, "dtype " + SpecArrays.numpyName(a.dtype())
                    + " but input.dtype is " + dtype() + "; convert the array (x.astype('" + dtype() + "')) or fix "
                    + "input.dtype");
        }
        boolean shapeOk = csv ? a.shape().length == 2 && a.shape()[1] == per
                : a.shape().length == sample.length + 1
                && Arrays.equals(Arrays.copyOfRange(a.shape(), 1, a.shape().length), sample);
        if (!shapeOk) {
            throw new TaskSpecException(Kind.CORRUPT_DATA, where, "shape " + Arrays.toString(a.shape())
                    + " but input.shape " + Arrays.toString(sample) + " needs " + (csv ? "[N, " + per + "] ("
                    + per + " feature columns)" : "[N, " + String.join(", ", Arrays.stream(sample)
                    .mapToObj(Long::toString).toList()) + "]") + "; reshape the array or fix input.shape");
        }
        float[] v = a.toFloatArray();
        finite(v, per, where);
        long[] shape = new long[sample.length + 1];
        shape[0] = a.shape()[0];
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return new HostTensor(v, shape);
    }

    private HostTensor targetTensor(NdArray a, boolean csv, String where) {
        long n = a.shape().length == 0 ? 0 : a.shape()[0];
        long[] out = file.spec().outputShape();
        long per = NdArray.elementCount(out);
        float[] v = a.toFloatArray();
        String fix = "; reshape the array or fix target in the spec";
        switch (file.target()) {
            case CLASSIFICATION -> {
                if (!(a.shape().length == 1 || (a.shape().length == 2 && a.shape()[1] == 1))) {
                    throw new TaskSpecException(Kind.CORRUPT_DATA, where, "shape " + Arrays.toString(a.shape())
                            + " but class labels are one integer per sample: [N]" + fix);
                }
                finite(v, 1, where);
                int k = file.spec().classes();
                for (int i = 0; i < v.length; i++) {
                    if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= k) {
                        throw new TaskSpecException(Kind.CORRUPT_DATA, where, "label " + v[i] + " at row " + i
                                + " is outside [0, " + k + "): labels are class ids 0.." + (k - 1) + "; fix the "
                                + "labels or target.classes");
                    }
                }
                return new HostTensor(v, new long[]{n});
            }
            case MULTILABEL -> {
                if (a.shape().length != 2 || a.shape()[1] != per) {
                    throw new TaskSpecException(Kind.CORRUPT_DATA, where, "shape " + Arrays.toString(a.shape())
                            + " but multi-label targets are a 0/1 vector per sample: [N, " + per + "]" + fix);
                }
                finite(v, per, where);
                for (int i = 0; i < v.length; i++) {
                    if (v[i] != 0f && v[i] != 1f) {
                        throw new TaskSpecException(Kind.CORRUPT_DATA, where, "value " + v[i] + " at row " + i / per
                                + ", label " + i % per + " is not 0 or 1; multi-label targets are 0/1 indicators");
                    }
                }
                return new HostTensor(v, new long[]{n, per});
            }
            case REGRESSION -> {
                boolean ok = a.shape().length == 2 ? a.shape()[1] == per : a.shape().length == 1 && per == 1;
                if (!ok) {
                    throw new TaskSpecException(Kind.CORRUPT_DATA, where, "shape " + Arrays.toString(a.shape())
                            + " but regression targets are [N, " + per + "]" + (per == 1 ? " or [N]" : "") + fix);
                }
                finite(v, per, where);
                return new HostTensor(v, new long[]{n, per});
            }
            default -> {
                boolean ok = csv ? a.shape().length == 2 && a.shape()[1] == per
                        : a.shape().length == out.length + 1
                        && Arrays.equals(Arrays.copyOfRange(a.shape(), 1, a.shape().length), out);
                if (!ok) {
                    throw new TaskSpecException(Kind.CORRUPT_DATA, where, "shape " + Arrays.toString(a.shape())
                            + " but dense targets are [N, " + String.join(", ", Arrays.stream(out)
                            .mapToObj(Long::toString).toList()) + "] (target.channels, then the input's spatial "
                            + "shape)" + fix);
                }
                finite(v, per, where);
                long[] shape = new long[out.length + 1];
                shape[0] = n;
                System.arraycopy(out, 0, shape, 1, out.length);
                return new HostTensor(v, shape);
            }
        }
    }

    private String dtype() {
        return file.inputDtype();
    }

    private static void finite(float[] v, long per, String where) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new TaskSpecException(Kind.CORRUPT_DATA, where, (Float.isNaN(v[i]) ? "NaN" : "Inf")
                        + " at row " + (i / per) + " (element " + i + "); remove or impute the non-finite values");
            }
        }
    }

    private static HostTensor concat(List<HostTensor> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int total = 0;
        int rows = 0;
        for (HostTensor t : parts) {
            total += t.data().length;
            rows += t.rows();
        }
        float[] out = new float[total];
        int at = 0;
        for (HostTensor t : parts) {
            System.arraycopy(t.data(), 0, out, at, t.data().length);
            at += t.data().length;
        }
        long[] shape = parts.get(0).shape().clone();
        shape[0] = rows;
        return new HostTensor(out, shape);
    }

    /** How many rows of {@code test} equal some row of {@code train}. */
    private static int overlap(HostTensor train, HostTensor test) {
        int r = train.rowSize();
        Map<Integer, List<Integer>> byHash = new HashMap<>();
        for (int i = 0; i < train.rows(); i++) {
            byHash.computeIfAbsent(rowHash(train.data(), i * r, r), h -> new ArrayList<>()).add(i);
        }
        int n = 0;
        for (int i = 0; i < test.rows(); i++) {
            List<Integer> same = byHash.get(rowHash(test.data(), i * r, r));
            if (same == null) {
                continue;
            }
            for (int j : same) {
                if (Arrays.equals(test.data(), i * r, (i + 1) * r, train.data(), j * r, (j + 1) * r)) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static int rowHash(float[] d, int from, int len) {
        int h = 1;
        for (int i = from; i < from + len; i++) {
            h = 31 * h + Float.floatToIntBits(d[i]);
        }
        return h;
    }
}
