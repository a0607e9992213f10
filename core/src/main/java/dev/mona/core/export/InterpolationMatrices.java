package dev.mona.core.export;

/**
 * Separable resampling as matrices: a 2-D resize or adaptive pool of an {@code (H, W)} plane is
 * {@code A_h . X . A_w^T}. In ONNX that is two MatMul nodes, so the exported graph reproduces exactly what the
 * DJL embedder and predictor compute (PyTorch's default, non-antialiased bilinear resize; adaptive average
 * pooling with PyTorch's window bounds), where ONNX Resize would differ in its coordinate conventions.
 */
public final class InterpolationMatrices {
    private InterpolationMatrices() {}

    /**
     * Bilinear interpolation, {@code align_corners=False}, no antialiasing (PyTorch's {@code F.interpolate}
     * default): row {@code i} samples source coordinate {@code (i + 0.5) * in / out - 0.5}, clamped at 0.
     *
     * @return row-major {@code (out, in)} matrix
     */
    public static float[] bilinear(int in, int out) {
        check(in, out);
        double[] m = new double[out * in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(0.0, (i + 0.5) * scale - 0.5);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double l1 = src - i0;
            m[i * in + i0] += 1.0 - l1;
            m[i * in + i1] += l1;
        }
        return toFloats(m);
    }

    /**
     * Adaptive average pooling: output {@code i} averages source indices
     * {@code [floor(i * in / out), ceil((i + 1) * in / out))}, as PyTorch's {@code adaptive_avg_pool}.
     *
     * @return row-major {@code (out, in)} matrix
     */
    public static float[] adaptiveAverage(int in, int out) {
        check(in, out);
        double[] m = new double[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) Math.floor((double) i * in / out);
            int end = (int) Math.ceil((double) (i + 1) * in / out);
            for (int j = start; j < end; j++) {
                m[i * in + j] = 1.0 / (end - start);
            }
        }
        return toFloats(m);
    }

    /** The transpose of a row-major {@code (rows, cols)} matrix. */
    public static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    // weights are summed in float64 and rounded once, as the DJL models build theirs
    private static float[] toFloats(double[] m) {
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = (float) m[i];
        }
        return f;
    }

    private static void check(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("resampling sizes must be positive, got in=" + in + ", out=" + out);
        }
    }
}
