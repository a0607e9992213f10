package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Resizing and adaptive average pooling as separable linear maps: a {@code (out, in)} matrix per axis applied
 * with {@code matMul}. Exact, differentiable twice, and (unlike DJL's interpolate, which is always antialiased)
 * equal to PyTorch's default non-antialiased bilinear resize.
 */
public final class Resampling {
    private Resampling() {}

    /**
     * PyTorch's {@code interpolate(mode="bilinear", align_corners=False, antialias=False)} along one axis:
     * output {@code o} samples {@code src = (o + 0.5) * in / out - 0.5}, clamped below at 0, between its two
     * neighbours (the upper one clamped to the last index).
     */
    public static double[] bilinearMatrix(int in, int out) {
        double[] m = new double[out * in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = Math.max((o + 0.5) * scale - 0.5, 0.0);
            int i0 = (int) src;
            int i1 = Math.min(i0 + 1, in - 1);
            double l1 = src - i0;
            m[o * in + i0] += 1 - l1;
            m[o * in + i1] += l1;
        }
        return m;
    }

    /**
     * PyTorch's adaptive average pooling along one axis: output {@code o} averages inputs
     * {@code [floor(o * in / out), ceil((o + 1) * in / out))}.
     */
    public static double[] adaptiveAverageMatrix(int in, int out) {
        double[] m = new double[out * in];
        for (int o = 0; o < out; o++) {
            int start = (int) Math.floor((double) o * in / out);
            int end = (int) Math.ceil((double) (o + 1) * in / out);
            for (int i = start; i < end; i++) {
                m[o * in + i] = 1.0 / (end - start);
            }
        }
        return m;
    }

    /** Applies {@code rows (outH, H)} and {@code cols (outW, W)} to the last two axes of {@code x (..., H, W)}. */
    public static NDArray apply2d(NDArray x, double[] rows, int outH, double[] cols, int outW) {
        Shape s = x.getShape();
        int r = s.dimension();
        int h = (int) s.get(r - 2);
        int w = (int) s.get(r - 1);
        NDArray y = x;
        if (!isIdentity(cols, outW, w)) {
            y = y.matMul(matrix(x, cols, outW, w).transpose());
        }
        if (!isIdentity(rows, outH, h)) {
            y = matrix(x, rows, outH, h).matMul(y);
        }
        return y;
    }

    /** Applies {@code map (out, in)} to the last axis of {@code x (..., in)}. */
    public static NDArray applyLast(NDArray x, double[] map, int out) {
        int in = (int) x.getShape().get(x.getShape().dimension() - 1);
        return isIdentity(map, out, in) ? x : x.matMul(matrix(x, map, out, in).transpose());
    }

    /** Bilinear resize of the last two axes of {@code x (..., H, W)} to {@code outH x outW}. */
    public static NDArray resizeBilinear(NDArray x, int outH, int outW) {
        Shape s = x.getShape();
        int r = s.dimension();
        int h = (int) s.get(r - 2);
        int w = (int) s.get(r - 1);
        return apply2d(x, bilinearMatrix(h, outH), outH, bilinearMatrix(w, outW), outW);
    }

    /** Adaptive average pooling of the last two axes of {@code x (..., H, W)} to {@code outH x outW}. */
    public static NDArray adaptiveAvgPool2d(NDArray x, int outH, int outW) {
        Shape s = x.getShape();
        int r = s.dimension();
        int h = (int) s.get(r - 2);
        int w = (int) s.get(r - 1);
        return apply2d(x, adaptiveAverageMatrix(h, outH), outH, adaptiveAverageMatrix(w, outW), outW);
    }

    private static NDArray matrix(NDArray like, double[] v, int out, int in) {
        return ParamLayout.fromDoubles(like.getManager(), v, new Shape(out, in), like.getDataType());
    }

    private static boolean isIdentity(double[] m, int out, int in) {
        if (out != in) {
            return false;
        }
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                if (m[o * in + i] != (o == i ? 1.0 : 0.0)) {
                    return false;
                }
            }
        }
        return true;
    }
}
