package dev.mona.core.export;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.SwinEncoder;

/**
 * Constants of Swin's window attention computed on the host for the exported graph: the token order into
 * (shifted) windows, Hugging Face's relative position index and shift mask, and their sum per block.
 */
final class SwinGeometry {
    private SwinGeometry() {}

    /** The model's token order into (shifted) windows ({@link SwinEncoder#windowOrder}): one definition for both. */
    static long[] windowOrder(int res, int w, int shift) {
        return SwinEncoder.windowOrder(res, w, shift);
    }

    static boolean isIdentity(long[] order) {
        for (int k = 0; k < order.length; k++) {
            if (order[k] != k) {
                return false;
            }
        }
        return true;
    }

    static long[] inverse(long[] order) {
        long[] inv = new long[order.length];
        for (int k = 0; k < order.length; k++) {
            inv[(int) order[k]] = k;
        }
        return inv;
    }

    /** The model's relative position index ({@link SwinEncoder#relativePositionIndex}). */
    static long[] relativePositionIndex(int w, int t) {
        return SwinEncoder.relativePositionIndex(w, t);
    }

    /** The model's shift mask ({@link SwinEncoder#shiftMask}) in float32. */
    static float[] shiftMask(int res, int w, int shift) {
        double[] m = SwinEncoder.shiftMask(res, w, shift);
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = (float) m[i];
        }
        return out;
    }

    /**
     * The additive logit bias of one block: the relative position bias {@code (H, N, N)} gathered from the
     * table {@code (T, H)}, plus the shift mask when given, then {@code (nW, H, N, N)}.
     */
    static float[] windowBias(HostTensor table, long[] index, int w, int heads, float[] mask, int nW) {
        int n = w * w;
        float[] bias = new float[heads * n * n];
        for (int h = 0; h < heads; h++) {
            for (int ab = 0; ab < n * n; ab++) {
                bias[h * n * n + ab] = table.data()[(int) index[ab] * heads + h];
            }
        }
        if (mask == null) {
            return bias;
        }
        float[] out = new float[nW * heads * n * n];
        for (int win = 0; win < nW; win++) {
            for (int h = 0; h < heads; h++) {
                for (int ab = 0; ab < n * n; ab++) {
                    out[(win * heads + h) * n * n + ab] = bias[h * n * n + ab] + mask[win * n * n + ab];
                }
            }
        }
        return out;
    }
}
