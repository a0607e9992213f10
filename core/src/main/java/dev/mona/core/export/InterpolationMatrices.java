package dev.mona.core.export;

import dev.mona.core.model.Resampling;

/**
 * Separable resampling as matrices for the exported graph: a 2-D resize or adaptive pool of an {@code (H, W)}
 * plane is {@code A_h . X . A_w^T}, two MatMul nodes. The matrices are the DJL models' own
 * ({@link Resampling}: PyTorch's default non-antialiased bilinear resize, adaptive average pooling with
 * PyTorch's window bounds), rounded once to float32, so the graph computes exactly what the embedder and the
 * predictors compute; ONNX Resize would differ in its coordinate conventions.
 */
public final class InterpolationMatrices {
    private InterpolationMatrices() {}

    /** Bilinear interpolation, {@code align_corners=False}, no antialiasing: row-major {@code (out, in)}. */
    public static float[] bilinear(int in, int out) {
        check(in, out);
        return toFloats(Resampling.bilinearMatrix(in, out));
    }

    /** Adaptive average pooling with PyTorch's windows: row-major {@code (out, in)}. */
    public static float[] adaptiveAverage(int in, int out) {
        check(in, out);
        return toFloats(Resampling.adaptiveAverageMatrix(in, out));
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
