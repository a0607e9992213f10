package dev.mona.core.pretrained;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NumpyPickle;
import dev.mona.core.offline.Splits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * CIFAR-10's 50,000 training images, the image source set of ORCA and MoNA (PAPER-NOTES 3): read from the official
 * python-pickle batches ({@code cifar-10-batches-py/data_batch_1} to {@code _5} in {@code cifar-10-python.tar.gz},
 * each a dict with {@code data}, uint8 {@code (10000, 3072)} in channel-major order, and {@code labels}, a list of
 * ints), normalised with ORCA's mean and standard deviation. Images stay 32 x 32 here: the image source embedders
 * resize them to the encoder's input (224 for Swin-B, as ORCA's {@code transforms.Resize}), so the stored source
 * set is 5,000 x 3 x 32 x 32 rather than 3 GB of upsampled copies.
 */
public final class Cifar10 {
    /** The fetcher's task name of the archive (content-cache key {@code cifar-10/cifar-10-python.tar.gz}). */
    public static final String TASK = "cifar-10";
    /** The official archive (170,498,071 bytes) with its SHA-256. */
    public static final DataFile ARCHIVE = new DataFile("cifar-10-python.tar.gz",
            List.of("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"), 170_498_071L,
            "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce");
    /** Folder of the batches inside the archive. */
    public static final String BATCHES = "cifar-10-batches-py";
    /** Training images in the five batches. */
    public static final int TRAIN_IMAGES = 50_000;
    /** ORCA's normalisation of CIFAR-10 (per RGB channel, on [0, 1] pixels). */
    public static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
    public static final float[] STD = {0.2023f, 0.1994f, 0.2010f};
    private static final int PIXELS = 3 * 32 * 32;

    private final List<NdArray> data;
    private final float[] labels;

    private Cifar10(List<NdArray> data, float[] labels) {
        this.data = data;
        this.labels = labels;
    }

    /** Fetches the official archive (size and SHA-256 checked) and reads its five training batches. */
    public static Cifar10 fetch(DatasetFetcher fetcher) throws IOException {
        return fetch(fetcher, ARCHIVE);
    }

    /** As {@link #fetch(DatasetFetcher)} for an archive of the official layout described by {@code archive}. */
    public static Cifar10 fetch(DatasetFetcher fetcher, DataFile archive) throws IOException {
        Path dir = fetcher.extracted(fetcher.fetch(TASK, archive));
        return read(dir.resolve(BATCHES));
    }

    /** Reads {@code data_batch_1} to {@code data_batch_5} from {@code batches}. */
    public static Cifar10 read(Path batches) throws IOException {
        List<NdArray> data = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            Path f = batches.resolve("data_batch_" + b);
            if (!Files.isRegularFile(f)) {
                throw new CorruptDataException(batches.toString(), "data_batch_" + b, "the file", "nothing");
            }
            if (!(NumpyPickle.read(f) instanceof Map<?, ?> d)) {
                throw new CorruptDataException(f.toString(), "top level", "a dict", "something else");
            }
            if (!(field(d, "data", f) instanceof NdArray x) || x.shape().length != 2 || x.shape()[1] != PIXELS
                    || x.dtype() != NdArray.DType.UINT8) {
                throw new CorruptDataException(f.toString(), "data", "uint8 array (N, 3072)",
                        String.valueOf(field(d, "data", f)));
            }
            if (!(field(d, "labels", f) instanceof List<?> y) || y.size() != x.shape()[0]) {
                throw new CorruptDataException(f.toString(), "labels", x.shape()[0] + " labels",
                        String.valueOf(field(d, "labels", f)));
            }
            if (!data.isEmpty() && x.shape()[0] != data.get(0).shape()[0]) {
                throw new CorruptDataException(f.toString(), "data", data.get(0).shape()[0] + " images, as in "
                        + "data_batch_1", Long.toString(x.shape()[0]));
            }
            for (Object o : y) {
                long c = NumpyPickle.asLong(o);
                if (c < 0 || c > 9) {
                    throw new CorruptDataException(f.toString(), "labels", "classes 0 to 9", Long.toString(c));
                }
                labels.add((float) c);
            }
            data.add(x);
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        return new Cifar10(data, y);
    }

    /** Images in the batches read. */
    public int size() {
        return labels.length;
    }

    /**
     * A labelled source set and a probe set of {@code n} images each, disjoint, each as class-balanced as the
     * classes allow, chosen by {@code seed}: images {@code (n, 3, 32, 32)} normalised with {@link #MEAN} / {@link #STD}.
     */
    public DataSplit[] sourceAndProbe(int n, long seed) {
        int[] all = IntStream.range(0, labels.length).toArray();
        int[] source = pick(all, n, seed);
        java.util.Set<Integer> taken = java.util.Arrays.stream(source).boxed().collect(Collectors.toSet());
        int[] probe = pick(IntStream.of(all).filter(i -> !taken.contains(i)).toArray(), n, seed + 1);
        return new DataSplit[]{images(source), images(probe)};
    }

    /** {@code n} of {@code candidates}, as class-balanced as the classes allow, chosen by {@code seed}. */
    private int[] pick(int[] candidates, int n, long seed) {
        float[] idx = new float[candidates.length];
        float[] y = new float[candidates.length];
        for (int k = 0; k < candidates.length; k++) {
            idx[k] = candidates[k];
            y[k] = labels[candidates[k]];
        }
        DataSplit p = Splits.balanced(new DataSplit(new HostTensor(idx, new long[]{idx.length}),
                new HostTensor(y, new long[]{y.length})), 10, n, seed, "CIFAR-10 training images");
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = (int) p.x().data()[k];
        }
        return out;
    }

    private DataSplit images(int[] rows) {
        int n = rows.length;
        float[] x = new float[n * PIXELS];
        float[] y = new float[n];
        int per = (int) data.get(0).shape()[0];
        for (int k = 0; k < n; k++) {
            int i = rows[k];
            NdArray batch = data.get(i / per);
            int row = i % per;
            for (int p = 0; p < PIXELS; p++) {
                int ch = p / 1024;
                x[k * PIXELS + p] = ((float) (batch.getDouble(row * PIXELS + p) / 255.0) - MEAN[ch]) / STD[ch];
            }
            y[k] = labels[i];
        }
        return new DataSplit(new HostTensor(x, new long[]{n, 3, 32, 32}), new HostTensor(y, new long[]{n}));
    }

    private static Object field(Map<?, ?> d, String key, Path f) {
        for (Map.Entry<?, ?> e : d.entrySet()) {
            Object k = e.getKey();
            String name = k instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                    : String.valueOf(k);
            if (name.equals(key)) {
                return e.getValue();
            }
        }
        throw new CorruptDataException(f.toString(), "dict", "key '" + key + "'", "keys " + d.keySet());
    }
}
