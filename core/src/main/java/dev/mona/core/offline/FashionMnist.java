package dev.mona.core.offline;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fashion-MNIST (60,000 train + 10,000 test grey 28 x 28 images, 10 classes) from Debian's
 * {@code dataset-fashion-mnist}: the offline image source. Images are scaled to [0, 1] and standardised with
 * the training set's mean {@value #MEAN} and standard deviation {@value #STD}; shape {@code (N, 1, 28, 28)},
 * labels are float class ids {@code (N)}. The splits are read once per instance and shared (treat them as
 * read-only).
 */
public final class FashionMnist {
    /** Mean pixel value of the training images (in [0, 1]). */
    public static final float MEAN = 0.2860f;
    /** Standard deviation of the training pixels (in [0, 1]). */
    public static final float STD = 0.3530f;
    /** Test images: the most a probe set can hold. */
    public static final int TEST_IMAGES = 10_000;
    /** Classes, in label order. */
    public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot"};

    private final Path dir;
    private DataSplit train;
    private DataSplit test;

    public FashionMnist(OfflineData data) {
        this.dir = data.fashionMnistDir();
    }

    /** The 60,000 training images and labels. */
    public synchronized DataSplit train() {
        if (train == null) {
            train = split("train");
        }
        return train;
    }

    /** The {@value #TEST_IMAGES} test images and labels. */
    public synchronized DataSplit test() {
        if (test == null) {
            test = split("t10k");
        }
        return test;
    }

    /**
     * The source task: the training images minus {@code validationSize} held out for validation (chosen by
     * {@code seed}), and the test images.
     */
    public TaskData taskData(int validationSize, long seed) {
        DataSplit train = train();
        int[][] parts = Splits.holdOut(train.size(), validationSize, seed);
        return new TaskData(Splits.take(train, parts[0]), Splits.take(train, parts[1]), test());
    }

    /**
     * A labelled source set of {@code n} training images, class balanced when {@code n} is a multiple of 10
     * (MoNA's labelled source batch pool, ORCA's OTDD source set), chosen by {@code seed}; a typed error when
     * {@code n} exceeds the 60,000 training images.
     */
    public DataSplit sourceSet(int n, long seed) {
        return Splits.balanced(train(), 10, n, seed, "Fashion-MNIST training images");
    }

    /**
     * The held-out source probe set: {@code n} test images (never seen in pretraining), class balanced, chosen
     * by {@code seed}; the linear probe of source knowledge fits and scores on it. A typed error when {@code n}
     * exceeds the {@value #TEST_IMAGES} test images.
     */
    public DataSplit probeSet(int n, long seed) {
        return Splits.balanced(test(), 10, n, seed, "Fashion-MNIST test images");
    }

    private DataSplit split(String prefix) {
        IdxReader.IdxArray images = IdxReader.read(dir.resolve(prefix + "-images-idx3-ubyte.gz"),
                IdxReader.MAGIC_IMAGES);
        IdxReader.IdxArray labels = IdxReader.read(dir.resolve(prefix + "-labels-idx1-ubyte.gz"),
                IdxReader.MAGIC_LABELS);
        if (images.count() != labels.count()) {
            throw new IdxFormatException(prefix + ": " + images.count() + " images but " + labels.count()
                    + " labels in " + dir);
        }
        if (images.dims()[1] != 28 || images.dims()[2] != 28) {
            throw new IdxFormatException(prefix + " images are " + Arrays.toString(images.dims())
                    + ", expected N x 28 x 28");
        }
        float[] x = new float[images.data().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (Byte.toUnsignedInt(images.data()[i]) / 255f - MEAN) / STD;
        }
        float[] y = new float[labels.count()];
        for (int i = 0; i < y.length; i++) {
            int c = Byte.toUnsignedInt(labels.data()[i]);
            if (c > 9) {
                throw new IdxFormatException(prefix + " label " + i + " is " + c + ", expected 0..9");
            }
            y[i] = c;
        }
        int n = images.count();
        return new DataSplit(new HostTensor(x, new long[]{n, 1, 28, 28}), new HostTensor(y, new long[]{n}));
    }
}
