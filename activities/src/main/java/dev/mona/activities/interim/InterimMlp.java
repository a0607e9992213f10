package dev.mona.activities.interim;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code predictor(encoder(embedder(x)))} with tanh layers: embedder {@code D -> W}, encoder {@code W -> W},
 * predictor {@code W -> K}; the encoder also owns a source embedding layer {@code encoder.source.* : 16 -> W}.
 * Softmax cross-entropy, plain mini-batch SGD, hand-written backward pass.
 */
public final class InterimMlp {
    private InterimMlp() {}

    /** Called after each optimiser step. */
    @FunctionalInterface
    public interface StepListener {
        void step(long step, double loss);
    }

    /** Freshly initialised parameters (uniform +-1/sqrt(fan_in)). */
    public static Map<String, HostTensor> initialise(int inDim, int sourceDim, int width, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("embedder.weight", uniform(rng, width, inDim));
        p.put("embedder.bias", new HostTensor(new float[width], new long[]{width}));
        p.put("encoder.source.weight", uniform(rng, width, sourceDim));
        p.put("encoder.source.bias", new HostTensor(new float[width], new long[]{width}));
        p.put("encoder.weight", uniform(rng, width, width));
        p.put("encoder.bias", new HostTensor(new float[width], new long[]{width}));
        p.put("predictor.weight", uniform(rng, classes, width));
        p.put("predictor.bias", new HostTensor(new float[classes], new long[]{classes}));
        return p;
    }

    private static HostTensor uniform(SplittableRandom rng, int out, int in) {
        float[] w = new float[out * in];
        double a = 1.0 / Math.sqrt(in);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
        }
        return new HostTensor(w, new long[]{out, in});
    }

    /** Deep copy (the training loop updates in place). */
    public static Map<String, HostTensor> copy(Map<String, HostTensor> p) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        p.forEach((k, v) -> out.put(k, new HostTensor(v.data().clone(), v.shape().clone())));
        return out;
    }

    /**
     * One epoch of SGD over {@code data} in a seeded random order. {@code input} is {@code embedder} (target path)
     * or {@code encoder.source} (source path), {@code head} the output layer's prefix; only parameters whose name
     * starts with a prefix in {@code trainable} move. Returns the mean loss.
     */
    public static double trainEpoch(Map<String, HostTensor> p, String input, String head, DataSplit data,
                                    Set<String> trainable, double lr, int batch, long seed, long stepOffset,
                                    StepListener listener) {
        float[] a = p.get(input + ".weight").data(), ab = p.get(input + ".bias").data();
        float[] b = p.get("encoder.weight").data(), bb = p.get("encoder.bias").data();
        float[] c = p.get(head + ".weight").data(), cb = p.get(head + ".bias").data();
        int w = (int) p.get("encoder.bias").shape()[0];
        int k = (int) p.get(head + ".bias").shape()[0];
        int d = data.x().rowSize();
        boolean ta = trains(trainable, input), tb = trains(trainable, "encoder.weight"), tc = trains(trainable, head);
        int n = data.size();
        int[] order = permutation(n, seed);
        float[] x = data.x().data();
        float[] y = data.y().data();
        double total = 0;
        long step = stepOffset;
        float[] ga = new float[a.length], gab = new float[ab.length], gb = new float[b.length];
        float[] gbb = new float[bb.length], gc = new float[c.length], gcb = new float[cb.length];
        float[] h1 = new float[w], h2 = new float[w], z = new float[k], d2 = new float[w], d1 = new float[w];
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            java.util.Arrays.fill(ga, 0); java.util.Arrays.fill(gab, 0); java.util.Arrays.fill(gb, 0);
            java.util.Arrays.fill(gbb, 0); java.util.Arrays.fill(gc, 0); java.util.Arrays.fill(gcb, 0);
            double batchLoss = 0;
            for (int s = start; s < end; s++) {
                int i = order[s];
                int off = i * d;
                int label = (int) y[i];
                forward(a, ab, b, bb, c, cb, x, off, d, w, k, h1, h2, z);
                double max = Double.NEGATIVE_INFINITY;
                for (float v : z) max = Math.max(max, v);
                double sum = 0;
                for (int j = 0; j < k; j++) sum += Math.exp(z[j] - max);
                batchLoss += -(z[label] - max - Math.log(sum));
                // dz = softmax - onehot
                for (int j = 0; j < k; j++) z[j] = (float) (Math.exp(z[j] - max) / sum - (j == label ? 1 : 0));
                java.util.Arrays.fill(d2, 0);
                for (int j = 0; j < k; j++) {
                    gcb[j] += z[j];
                    for (int q = 0; q < w; q++) {
                        gc[j * w + q] += z[j] * h2[q];
                        d2[q] += c[j * w + q] * z[j];
                    }
                }
                for (int q = 0; q < w; q++) d2[q] *= 1 - h2[q] * h2[q];
                java.util.Arrays.fill(d1, 0);
                for (int r = 0; r < w; r++) {
                    gbb[r] += d2[r];
                    for (int q = 0; q < w; q++) {
                        gb[r * w + q] += d2[r] * h1[q];
                        d1[q] += b[r * w + q] * d2[r];
                    }
                }
                if (ta) {
                    for (int r = 0; r < w; r++) {
                        float g = d1[r] * (1 - h1[r] * h1[r]);
                        gab[r] += g;
                        for (int q = 0; q < d; q++) ga[r * d + q] += g * x[off + q];
                    }
                }
            }
            float scale = (float) (lr / (end - start));
            if (ta) { axpy(a, ga, scale); axpy(ab, gab, scale); }
            if (tb) { axpy(b, gb, scale); axpy(bb, gbb, scale); }
            if (tc) { axpy(c, gc, scale); axpy(cb, gcb, scale); }
            total += batchLoss;
            step++;
            if (listener != null) {
                listener.step(step, batchLoss / (end - start));
            }
        }
        return total / n;
    }

    private static boolean trains(Set<String> trainable, String name) {
        return trainable.stream().anyMatch(name::startsWith);
    }

    private static void axpy(float[] p, float[] g, float scale) {
        for (int i = 0; i < p.length; i++) p[i] -= scale * g[i];
    }

    private static void forward(float[] a, float[] ab, float[] b, float[] bb, float[] c, float[] cb, float[] x,
                                int off, int d, int w, int k, float[] h1, float[] h2, float[] z) {
        for (int r = 0; r < w; r++) {
            double s = ab[r];
            for (int q = 0; q < d; q++) s += a[r * d + q] * x[off + q];
            h1[r] = (float) Math.tanh(s);
        }
        for (int r = 0; r < w; r++) {
            double s = bb[r];
            for (int q = 0; q < w; q++) s += b[r * w + q] * h1[q];
            h2[r] = (float) Math.tanh(s);
        }
        for (int j = 0; j < k; j++) {
            double s = cb[j];
            for (int q = 0; q < w; q++) s += c[j * w + q] * h2[q];
            z[j] = (float) s;
        }
    }

    /** Mean softmax cross-entropy of the {@code input -> encoder -> head} network on {@code data}. */
    public static double meanLoss(Map<String, HostTensor> p, String input, String head, DataSplit data) {
        float[] a = p.get(input + ".weight").data(), ab = p.get(input + ".bias").data();
        float[] b = p.get("encoder.weight").data(), bb = p.get("encoder.bias").data();
        float[] c = p.get(head + ".weight").data(), cb = p.get(head + ".bias").data();
        int w = bb.length, k = cb.length, d = data.x().rowSize();
        float[] h1 = new float[w], h2 = new float[w], z = new float[k];
        double total = 0;
        for (int i = 0; i < data.size(); i++) {
            forward(a, ab, b, bb, c, cb, data.x().data(), i * d, d, w, k, h1, h2, z);
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : z) max = Math.max(max, v);
            for (float v : z) sum += Math.exp(v - max);
            total += -(z[(int) data.y().data()[i]] - max - Math.log(sum));
        }
        return total / data.size();
    }

    /** Error rate (%) of the {@code input -> encoder -> head} network on {@code data}. */
    public static double errorRate(Map<String, HostTensor> p, String input, String head, DataSplit data) {
        float[] a = p.get(input + ".weight").data(), ab = p.get(input + ".bias").data();
        float[] b = p.get("encoder.weight").data(), bb = p.get("encoder.bias").data();
        float[] c = p.get(head + ".weight").data(), cb = p.get(head + ".bias").data();
        int w = bb.length, k = cb.length, d = data.x().rowSize();
        float[] h1 = new float[w], h2 = new float[w], z = new float[k];
        int wrong = 0;
        for (int i = 0; i < data.size(); i++) {
            forward(a, ab, b, bb, c, cb, data.x().data(), i * d, d, w, k, h1, h2, z);
            int best = 0;
            for (int j = 1; j < k; j++) if (z[j] > z[best]) best = j;
            if (best != (int) data.y().data()[i]) wrong++;
        }
        return 100.0 * wrong / data.size();
    }

    /** Encoder features of source inputs through the encoder's own source embedding layer. */
    public static HostTensor sourceFeatures(Map<String, HostTensor> p, HostTensor xs) {
        float[] a = p.get("encoder.source.weight").data(), ab = p.get("encoder.source.bias").data();
        float[] b = p.get("encoder.weight").data(), bb = p.get("encoder.bias").data();
        int w = bb.length, d = xs.rowSize(), n = xs.rows();
        float[] out = new float[n * w];
        float[] h1 = new float[w], h2 = new float[w], z = new float[0];
        for (int i = 0; i < n; i++) {
            forward(a, ab, b, bb, new float[0], new float[0], xs.data(), i * d, d, w, 0, h1, h2, z);
            System.arraycopy(h2, 0, out, i * w, w);
        }
        return new HostTensor(out, new long[]{n, w});
    }

    /**
     * Linear probe: a softmax-regression classifier fitted (full-batch gradient descent) on frozen features of 70%
     * of the probe set (a fixed shuffle), error rate (%) on the other 30%.
     */
    public static double probeError(HostTensor features, HostTensor labels, int classes, int epochs) {
        int n = features.rows(), w = features.rowSize(), cut = (int) (n * 0.7);
        // probe sets often come sorted by class: a fixed shuffle makes the 70/30 cut a fair one
        int[] order = permutation(n, 0x9e3779b9L);
        features = features.rows(order);
        labels = labels.rows(order);
        float[] f = features.data(), y = labels.data();
        double[] wt = new double[classes * w], bias = new double[classes];
        double[] z = new double[classes];
        for (int e = 0; e < epochs * 10; e++) {
            double[] gw = new double[wt.length], gb = new double[classes];
            for (int i = 0; i < cut; i++) {
                logits(wt, bias, f, i * w, w, classes, z);
                softmaxInPlace(z);
                z[(int) y[i]] -= 1;
                for (int j = 0; j < classes; j++) {
                    gb[j] += z[j];
                    for (int q = 0; q < w; q++) gw[j * w + q] += z[j] * f[i * w + q];
                }
            }
            for (int j = 0; j < wt.length; j++) wt[j] -= 0.5 * gw[j] / cut;
            for (int j = 0; j < classes; j++) bias[j] -= 0.5 * gb[j] / cut;
        }
        int wrong = 0;
        for (int i = cut; i < n; i++) {
            logits(wt, bias, f, i * w, w, classes, z);
            int best = 0;
            for (int j = 1; j < classes; j++) if (z[j] > z[best]) best = j;
            if (best != (int) y[i]) wrong++;
        }
        return 100.0 * wrong / (n - cut);
    }

    private static void logits(double[] wt, double[] bias, float[] f, int off, int w, int classes, double[] z) {
        for (int j = 0; j < classes; j++) {
            double s = bias[j];
            for (int q = 0; q < w; q++) s += wt[j * w + q] * f[off + q];
            z[j] = s;
        }
    }

    private static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : z) max = Math.max(max, v);
        for (int j = 0; j < z.length; j++) sum += (z[j] = Math.exp(z[j] - max));
        for (int j = 0; j < z.length; j++) z[j] /= sum;
    }

    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        return order;
    }
}
