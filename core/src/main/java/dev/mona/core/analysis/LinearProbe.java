package dev.mona.core.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.model.BertEncoder;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.Autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Linear probe of source knowledge (METHOD.md section 5): pooled encoder features (mean over tokens) of a
 * held-out labelled source set, taken through the encoder's pretrained SOURCE embedding layer, then a
 * multinomial logistic regression on the frozen, standardised features, fit full-batch by L-BFGS; the error rate
 * on a second part of the source set is the probe error (lower = more source knowledge kept).
 */
public final class LinearProbe {
    /**
     * Samples per forward pass when features are extracted (no graph). Each pass has a fixed overhead of some dozens
     * of engine calls and a host copy, so larger chunks are faster for a small encoder (10,000 Fashion-MNIST images
     * through the offline ViT: 27-43 s in chunks of 64, 6-8 s in chunks of 512, on 2 busy vCPUs), but the activations
     * of a large one grow with the chunk: MiniLM over 512 text sequences at once took 11.8 GB and was killed. A chunk
     * sized by the encoder's activations is left to do; 64 is safe for every source.
     */
    public static final int FEATURE_CHUNK = 64;

    private LinearProbe() {}

    /**
     * @param l2            L2 penalty {@code l2/2 ||W||^2} on the weights (not the biases); default 1e-4
     * @param maxIterations L-BFGS iterations; default 300
     * @param tolerance     stop when the gradient's max-norm falls below it; default 1e-6
     * @param history       L-BFGS memory; default 10
     */
    public record Config(double l2, int maxIterations, double tolerance, int history) {
        public static Config defaults() {
            return new Config(1e-4, 300, 1e-6, 10);
        }
    }

    /** A fitted probe: standardisation and weights {@code (d + 1) x C} (last row: biases). */
    public record Probe(double[] mean, double[] std, double[][] weights) {
        public int[] predict(double[][] x) {
            int c = weights[0].length;
            int[] out = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                double[] z = logits(this, x[i]);
                int best = 0;
                for (int k = 1; k < c; k++) {
                    if (z[k] > z[best]) {
                        best = k;
                    }
                }
                out[i] = best;
            }
            return out;
        }

        /** Class probabilities (softmax of the logits) of each row of {@code x}. */
        public double[][] posteriors(double[][] x) {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                double[] z = logits(this, x[i]);
                double mx = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    mx = Math.max(mx, v);
                }
                double s = 0;
                for (int k = 0; k < z.length; k++) {
                    z[k] = Math.exp(z[k] - mx);
                    s += z[k];
                }
                for (int k = 0; k < z.length; k++) {
                    z[k] /= s;
                }
                out[i] = z;
            }
            return out;
        }

        /** Share of misclassified samples. */
        public double errorRate(double[][] x, int[] y) {
            int[] p = predict(x);
            int wrong = 0;
            for (int i = 0; i < y.length; i++) {
                if (p[i] != y[i]) {
                    wrong++;
                }
            }
            return (double) wrong / y.length;
        }
    }

    private static double[] logits(Probe p, double[] xi) {
        int d = p.mean.length;
        int c = p.weights[0].length;
        double[] z = p.weights[d].clone();
        for (int j = 0; j < d; j++) {
            double v = (xi[j] - p.mean[j]) / p.std[j];
            for (int k = 0; k < c; k++) {
                z[k] += v * p.weights[j][k];
            }
        }
        return z;
    }

    /** Fits the probe on {@code x} (n x d) with class ids {@code y} in {@code [0, classes)}. */
    public static Probe fit(double[][] x, int[] y, int classes, Config config) {
        int n = x.length;
        if (n == 0 || n != y.length) {
            throw new IllegalArgumentException(n + " feature rows for " + y.length + " labels");
        }
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / n;
            }
        }
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j]) + 1e-8;
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) / std[j];
            }
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("label " + y[i] + " at row " + i + " outside [0, " + classes + ")");
            }
        }
        int dim = (d + 1) * classes;
        double[] w = new double[dim];
        double[] g = new double[dim];
        double f = objective(z, y, classes, config.l2(), w, g);
        List<double[]> ss = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (int it = 0; it < config.maxIterations(); it++) {
            if (maxAbs(g) < config.tolerance()) {
                break;
            }
            double[] dir = twoLoop(g, ss, ys);
            double slope = dot(dir, g);
            if (slope >= 0) {
                // not a descent direction: restart from steepest descent
                ss.clear();
                ys.clear();
                dir = scale(g, -1);
                slope = dot(dir, g);
            }
            double step = 1;
            double[] wNew = new double[dim];
            double[] gNew = new double[dim];
            double fNew = Double.NaN;
            for (int ls = 0; ls < 40; ls++) {
                for (int k = 0; k < dim; k++) {
                    wNew[k] = w[k] + step * dir[k];
                }
                fNew = objective(z, y, classes, config.l2(), wNew, gNew);
                if (fNew <= f + 1e-4 * step * slope) {
                    break;
                }
                step /= 2;
            }
            double[] s = new double[dim];
            double[] yv = new double[dim];
            for (int k = 0; k < dim; k++) {
                s[k] = wNew[k] - w[k];
                yv[k] = gNew[k] - g[k];
            }
            if (dot(s, yv) > 1e-12) {
                ss.add(s);
                ys.add(yv);
                if (ss.size() > config.history()) {
                    ss.remove(0);
                    ys.remove(0);
                }
            }
            boolean stalled = Math.abs(f - fNew) < 1e-12 * Math.max(1, Math.abs(f));
            w = wNew;
            g = gNew;
            f = fNew;
            if (stalled) {
                break;
            }
        }
        double[][] weights = new double[d + 1][classes];
        for (int j = 0; j <= d; j++) {
            System.arraycopy(w, j * classes, weights[j], 0, classes);
        }
        return new Probe(mean, std, weights);
    }

    /** Mean cross-entropy plus the L2 penalty; writes the gradient into {@code g}. */
    static double objective(double[][] z, int[] y, int c, double l2, double[] w, double[] g) {
        int n = z.length;
        int d = z[0].length;
        Arrays.fill(g, 0);
        double loss = 0;
        double[] logit = new double[c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                logit[k] = w[d * c + k];
            }
            for (int j = 0; j < d; j++) {
                double v = z[i][j];
                if (v != 0) {
                    int o = j * c;
                    for (int k = 0; k < c; k++) {
                        logit[k] += v * w[o + k];
                    }
                }
            }
            double mx = Double.NEGATIVE_INFINITY;
            for (double v : logit) {
                mx = Math.max(mx, v);
            }
            double s = 0;
            for (int k = 0; k < c; k++) {
                logit[k] = Math.exp(logit[k] - mx);
                s += logit[k];
            }
            loss += -Math.log(logit[y[i]] / s);
            for (int k = 0; k < c; k++) {
                double r = (logit[k] / s - (k == y[i] ? 1 : 0)) / n;
                g[d * c + k] += r;
                logit[k] = r;
            }
            for (int j = 0; j < d; j++) {
                double v = z[i][j];
                if (v != 0) {
                    int o = j * c;
                    for (int k = 0; k < c; k++) {
                        g[o + k] += v * logit[k];
                    }
                }
            }
        }
        loss /= n;
        for (int k = 0; k < d * c; k++) {
            loss += 0.5 * l2 * w[k] * w[k];
            g[k] += l2 * w[k];
        }
        return loss;
    }

    private static double[] twoLoop(double[] g, List<double[]> ss, List<double[]> ys) {
        double[] q = g.clone();
        int m = ss.size();
        double[] alpha = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            alpha[i] = dot(ss.get(i), q) / dot(ys.get(i), ss.get(i));
            axpy(-alpha[i], ys.get(i), q);
        }
        if (m > 0) {
            double gamma = dot(ss.get(m - 1), ys.get(m - 1)) / dot(ys.get(m - 1), ys.get(m - 1));
            q = scale(q, gamma);
        }
        for (int i = 0; i < m; i++) {
            double beta = dot(ys.get(i), q) / dot(ys.get(i), ss.get(i));
            axpy(alpha[i] - beta, ss.get(i), q);
        }
        return scale(q, -1);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double[] scale(double[] x, double a) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = a * x[i];
        }
        return out;
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /**
     * Pooled encoder features (mean over tokens) of source inputs through the encoder's SOURCE embedding layer,
     * computed without a graph in chunks of {@code batch}; token ids for text encoders.
     */
    public static double[][] sourceFeatures(TransferModel model, Params params, HostTensor x, int batch) {
        NDArray any = params.asMap().values().iterator().next();
        return pooled(params, x, batch, model.encoder() instanceof BertEncoder ? DataType.INT64 : any.getDataType(),
                model::sourceFeatures);
    }

    /**
     * Pooled encoder features (mean over tokens) of TARGET inputs through the model's target embedder, computed
     * without a graph in chunks of {@code batch}.
     */
    public static double[][] targetFeatures(TransferModel model, Params params, HostTensor x, int batch) {
        return pooled(params, x, batch, params.asMap().values().iterator().next().getDataType(),
                (p, in) -> model.features(p, in).mean(new int[] {1}));
    }

    private static double[][] pooled(Params params, HostTensor x, int batch, DataType dtype,
                                     java.util.function.BiFunction<Params, NDArray, NDArray> features) {
        // features: pooled, (B, width)
        NDManager base = params.asMap().values().iterator().next().getManager();
        List<double[]> rows = new ArrayList<>();
        Autograd.noGrad(() -> {
            for (int from = 0; from < x.rows(); from += batch) {
                int to = Math.min(x.rows(), from + batch);
                try (NDManager m = base.newSubManager()) {
                    HostTensor part = x.slice(from, to);
                    NDArray in = m.create(part.data(), new Shape(part.shape())).toType(dtype, false);
                    NDArray f = features.apply(params, in).toType(DataType.FLOAT64, false);
                    long d = f.getShape().get(1);
                    double[] flat = f.toDoubleArray();
                    for (int i = 0; i < to - from; i++) {
                        rows.add(Arrays.copyOfRange(flat, (int) (i * d), (int) ((i + 1) * d)));
                    }
                }
            }
        });
        return rows.toArray(new double[0][]);
    }

    /** Class ids of a label tensor (one float id per sample). */
    public static int[] labels(HostTensor y) {
        int[] out = new int[y.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(y.data()[i]);
        }
        return out;
    }

    /** The probe error of the encoder in {@code params}: fit on {@code fit}, error on {@code eval}. */
    public static double errorRate(TransferModel model, Params params, DataSplit fit, DataSplit eval, int classes,
                                   Config config) {
        Probe p = fit(sourceFeatures(model, params, fit.x(), FEATURE_CHUNK), labels(fit.y()), classes, config);
        return p.errorRate(sourceFeatures(model, params, eval.x(), FEATURE_CHUNK), labels(eval.y()));
    }
}
