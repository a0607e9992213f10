package dev.mona.core.offline.pde;

import dev.mona.core.data.HostTensor;

import java.util.Arrays;

/** The error measures of the PDE tasks, on host tensors of shape {@code (B, C, ...)}. */
public final class PdeMetrics {
    private PdeMetrics() {}

    /**
     * PDEBench's normalised RMSE: per sample and channel {@code sqrt(mean_x (pred - true)^2) /
     * sqrt(mean_x true^2)}, averaged over samples and channels.
     */
    public static double nrmse(HostTensor prediction, HostTensor truth) {
        check(prediction, truth);
        int b = truth.rows();
        int c = (int) truth.shape()[1];
        int per = truth.rowSize() / c;
        float[] p = prediction.data();
        float[] t = truth.data();
        double total = 0;
        for (int s = 0; s < b; s++) {
            for (int ch = 0; ch < c; ch++) {
                int off = (s * c + ch) * per;
                double err = 0;
                double norm = 0;
                for (int i = 0; i < per; i++) {
                    double d = (double) p[off + i] - t[off + i];
                    err += d * d;
                    norm += (double) t[off + i] * t[off + i];
                }
                total += Math.sqrt(err / per) / Math.sqrt(norm / per);
            }
        }
        return total / (b * (double) c);
    }

    /** NAS-Bench-360's relative L2 error {@code mean_b ||pred_b - true_b|| / ||true_b||}. */
    public static double relativeL2(HostTensor prediction, HostTensor truth) {
        check(prediction, truth);
        int b = truth.rows();
        int per = truth.rowSize();
        float[] p = prediction.data();
        float[] t = truth.data();
        double total = 0;
        for (int s = 0; s < b; s++) {
            double err = 0;
            double norm = 0;
            for (int i = s * per; i < (s + 1) * per; i++) {
                double d = (double) p[i] - t[i];
                err += d * d;
                norm += (double) t[i] * t[i];
            }
            total += Math.sqrt(err) / Math.sqrt(norm);
        }
        return total / b;
    }

    private static void check(HostTensor p, HostTensor t) {
        if (!Arrays.equals(p.shape(), t.shape()) || t.shape().length < 2) {
            throw new IllegalArgumentException("prediction shape " + Arrays.toString(p.shape())
                    + " does not match target shape " + Arrays.toString(t.shape()) + " (expected (B, C, ...))");
        }
    }
}
