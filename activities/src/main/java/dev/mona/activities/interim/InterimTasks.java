package dev.mona.activities.interim;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;

import java.util.List;
import java.util.SplittableRandom;

/** Two generated classification tasks of different modalities, deterministic for a seed. */
public final class InterimTasks {
    private InterimTasks() {}

    /** What {@code mona tasks} lists for an interim task. */
    public record Info(String name, String modality, long[] inputShape, int classes, String description) {
    }

    public static final List<Info> ALL = List.of(
            new Info("synthetic-sines", "1d-signal", new long[]{1, 64}, 4,
                    "1-D signals: noisy sines, class = frequency band (generated, offline)"),
            new Info("synthetic-bars", "2d-image", new long[]{1, 8, 8}, 4,
                    "2-D images: noisy oriented bars, class = orientation (generated, offline)"));

    public static Info info(String name) {
        return ALL.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
    }

    /** Train/validation/test splits ({@code samples}, {@code samples/4}, {@code samples/4}). */
    public static TaskData generate(String name, int samples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + name.hashCode());
        return new TaskData(split(name, samples, rng), split(name, Math.max(samples / 4, 8), rng),
                split(name, Math.max(samples / 4, 8), rng));
    }

    private static DataSplit split(String name, int n, SplittableRandom rng) {
        Info info = info(name);
        int d = 1;
        for (long s : info.inputShape()) {
            d *= (int) s;
        }
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(info.classes());
            y[i] = c;
            if (name.equals("synthetic-sines")) {
                double f = new double[]{2, 4, 7, 11}[c] * (0.9 + 0.2 * rng.nextDouble());
                double phase = rng.nextDouble() * 2 * Math.PI;
                for (int t = 0; t < d; t++) {
                    x[i * d + t] = (float) (Math.sin(2 * Math.PI * f * t / d + phase) + 0.4 * rng.nextGaussian());
                }
            } else {
                int shift = rng.nextInt(3) - 1;
                for (int r = 0; r < 8; r++) {
                    for (int q = 0; q < 8; q++) {
                        boolean on = switch (c) {
                            case 0 -> r == 3 + shift || r == 4 + shift;
                            case 1 -> q == 3 + shift || q == 4 + shift;
                            case 2 -> Math.abs(r - q - shift) <= 0;
                            default -> Math.abs(r + q - 7 - shift) <= 0;
                        };
                        x[i * d + r * 8 + q] = (float) ((on ? 1.0 : 0.0) + 0.35 * rng.nextGaussian());
                    }
                }
            }
        }
        long[] shape = new long[info.inputShape().length + 1];
        shape[0] = n;
        System.arraycopy(info.inputShape(), 0, shape, 1, info.inputShape().length);
        return new DataSplit(new HostTensor(x, shape), new HostTensor(y, new long[]{n}));
    }

    /** The interim source modality: 16-dimensional Gaussian blobs in 4 classes (the "pretraining" data). */
    public static DataSplit sourceSet(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(0x5eedL ^ seed);
        SplittableRandom centres = new SplittableRandom(42);
        int d = 16;
        float[][] mu = new float[4][d];
        for (float[] m : mu) {
            for (int j = 0; j < d; j++) {
                m[j] = (float) centres.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(4);
            y[i] = c;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (mu[c][j] + 1.8 * rng.nextGaussian());
            }
        }
        return new DataSplit(new HostTensor(x, new long[]{n, d}), new HostTensor(y, new long[]{n}));
    }
}
