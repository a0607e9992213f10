package dev.mona.core.export;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.SwinEncoder;

/**
 * Constants of Swin's window attention computed on the host for the exported graph: the token order into
 * (shifted) windows, Hugging Face's relative position index and shift mask, and their sum per block.
 */
final class SwinGeometry {
    private SwinGeometry() {}

    /**
     * For position {@code k} of the window-partitioned sequence (windows row-major, tokens row-major inside a
     * window), the original token after a cyclic roll by {@code -shift} on both axes.
     */
    static long[] windowOrder(int res, int w, int shift) {
        int per = res / w;
        long[] order = new long[res * res];
        int k = 0;
        for (int wr = 0; wr < per; wr++) {
            for (int wc = 0; wc < per; wc++) {
                for (int i = 0; i < w; i++) {
                    for (int j = 0; j < w; j++) {
                        order[k++] = (long) ((wr * w + i + shift) % res) * res + (wc * w + j + shift) % res;
                    }
                }
            }
        }
        return order;
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

    /** Relative position index {@code (w^2 * w^2)} into a table built for windows of side {@code t}. */
    static long[] relativePositionIndex(int w, int t) {
        int n = w * w;
        long[] idx = new long[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                idx[a * n + b] = (long) (a / w - b / w + t - 1) * (2 * t - 1) + (a % w - b % w + t - 1);
            }
        }
        return idx;
    }

    /**
     * Hugging Face's shift mask {@code (nW, N, N)}: regions {@code [0, res-w), [res-w, res-shift),
     * [res-shift, res)} per axis of the rolled image; tokens of one window in different regions are masked.
     */
    static float[] shiftMask(int res, int w, int shift) {
        int per = res / w;
        int n = w * w;
        float[] mask = new float[per * per * n * n];
        for (int wr = 0; wr < per; wr++) {
            for (int wc = 0; wc < per; wc++) {
                int win = wr * per + wc;
                int[] label = new int[n];
                for (int i = 0; i < w; i++) {
                    for (int j = 0; j < w; j++) {
                        label[i * w + j] = region(wr * w + i, res, w, shift) * 3 + region(wc * w + j, res, w, shift);
                    }
                }
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        mask[(win * n + a) * n + b] = label[a] == label[b] ? 0f : (float) SwinEncoder.SHIFT_MASK_LOGIT;
                    }
                }
            }
        }
        return mask;
    }

    private static int region(int coord, int res, int w, int shift) {
        return coord < res - w ? 0 : coord < res - shift ? 1 : 2;
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
