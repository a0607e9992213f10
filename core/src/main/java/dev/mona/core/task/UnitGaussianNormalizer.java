package dev.mona.core.task;

import dev.mona.core.data.HostTensor;

/**
 * ORCA's (and FNO's) {@code UnitGaussianNormalizer}: a mean and a standard deviation per position, taken over the
 * samples of the training split; {@code encode(x) = (x - mean) / (std + eps)}. The standard deviation is the
 * unbiased one (n - 1), as {@code torch.std}.
 *
 * @param mean per-position mean, shape of one sample
 * @param std  per-position standard deviation, shape of one sample
 * @param eps  added to std (1e-5)
 */
public record UnitGaussianNormalizer(float[] mean, float[] std, double eps) {

    /** Fits on the samples (first dimension) of {@code x}. */
    public static UnitGaussianNormalizer fit(HostTensor x) {
        int n = x.rows();
        int d = x.rowSize();
        if (n < 2) {
            throw new IllegalArgumentException("a normaliser needs at least 2 training samples, got " + n);
        }
        double[] sum = new double[d];
        float[] data = x.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sum[j] += data[i * d + j];
            }
        }
        float[] mean = new float[d];
        double[] ss = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) (sum[j] / n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = data[i * d + j] - sum[j] / n;
                ss[j] += c * c;
            }
        }
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            std[j] = (float) Math.sqrt(ss[j] / (n - 1));
        }
        return new UnitGaussianNormalizer(mean, std, 1e-5);
    }

    public HostTensor encode(HostTensor x) {
        return apply(x, true);
    }

    public HostTensor decode(HostTensor x) {
        return apply(x, false);
    }

    private HostTensor apply(HostTensor x, boolean encode) {
        int d = mean.length;
        if (x.rowSize() != d) {
            throw new IllegalArgumentException("normaliser fitted on samples of " + d + " values, got " + x.rowSize());
        }
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            int j = i % d;
            double s = std[j] + eps;
            out[i] = (float) (encode ? (in[i] - mean[j]) / s : in[i] * s + mean[j]);
        }
        return new HostTensor(out, x.shape().clone());
    }
}
