package dev.mona.core.analysis;

import java.util.SplittableRandom;

/**
 * Exact t-SNE (van der Maaten and Hinton 2008) to 2-D, seeded: perplexity-calibrated Gaussian affinities by
 * bisection on each point's precision, symmetrised; Student-t affinities in the map; gradient descent with
 * momentum (0.5, then 0.8), per-coordinate gains, and early exaggeration 12 for the first 250 iterations.
 * O(n^2) per iteration: meant for the few thousand points of a probe set.
 */
public final class Tsne {
    private Tsne() {}

    /**
     * @param perplexity   effective neighbours; default 30 (capped at (n - 1) / 3)
     * @param iterations   gradient steps; default 1000
     * @param learningRate default 200
     * @param seed         seeds the initial map (Gaussian, sd 1e-4)
     */
    public record Config(double perplexity, int iterations, double learningRate, long seed) {
        public static Config defaults(long seed) {
            return new Config(30, 1000, 200, seed);
        }
    }

    /** The 2-D map of the rows of {@code x}. */
    public static double[][] embed(double[][] x, Config config) {
        int n = x.length;
        if (n < 4) {
            throw new IllegalArgumentException("t-SNE needs at least 4 points, got " + n);
        }
        double perplexity = Math.min(config.perplexity(), (n - 1) / 3.0);
        double[][] d2 = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < x[i].length; k++) {
                    double t = x[i][k] - x[j][k];
                    s += t * t;
                }
                d2[i][j] = s;
                d2[j][i] = s;
            }
        }
        double[][] p = affinities(d2, perplexity);
        SplittableRandom rng = new SplittableRandom(config.seed());
        double[][] y = new double[n][2];
        double[][] update = new double[n][2];
        double[][] gains = new double[n][2];
        for (int i = 0; i < n; i++) {
            y[i][0] = 1e-4 * rng.nextGaussian();
            y[i][1] = 1e-4 * rng.nextGaussian();
            gains[i][0] = 1;
            gains[i][1] = 1;
        }
        double[][] num = new double[n][n];
        double[][] grad = new double[n][2];
        for (int it = 0; it < config.iterations(); it++) {
            double exaggeration = it < 250 ? 12 : 1;
            double momentum = it < 250 ? 0.5 : 0.8;
            double z = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double dx = y[i][0] - y[j][0];
                    double dy = y[i][1] - y[j][1];
                    double q = 1 / (1 + dx * dx + dy * dy);
                    num[i][j] = q;
                    num[j][i] = q;
                    z += 2 * q;
                }
            }
            for (int i = 0; i < n; i++) {
                grad[i][0] = 0;
                grad[i][1] = 0;
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        double mult = (exaggeration * p[i][j] - num[i][j] / z) * num[i][j];
                        grad[i][0] += 4 * mult * (y[i][0] - y[j][0]);
                        grad[i][1] += 4 * mult * (y[i][1] - y[j][1]);
                    }
                }
            }
            double[] mean = new double[2];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 2; k++) {
                    boolean same = Math.signum(grad[i][k]) == Math.signum(update[i][k]);
                    gains[i][k] = Math.max(0.01, same ? gains[i][k] * 0.8 : gains[i][k] + 0.2);
                    update[i][k] = momentum * update[i][k] - config.learningRate() * gains[i][k] * grad[i][k];
                    y[i][k] += update[i][k];
                    mean[k] += y[i][k] / n;
                }
            }
            for (double[] yi : y) {
                yi[0] -= mean[0];
                yi[1] -= mean[1];
            }
        }
        return y;
    }

    /** Symmetric joint affinities {@code P = (P_j|i + P_i|j) / 2n} at the given perplexity. */
    static double[][] affinities(double[][] d2, double perplexity) {
        int n = d2.length;
        double target = Math.log(perplexity);
        double[][] cond = new double[n][n];
        for (int i = 0; i < n; i++) {
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            double beta = 1;
            for (int t = 0; t < 100; t++) {
                double sum = 0;
                double dot = 0;
                double min = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        min = Math.min(min, d2[i][j]);
                    }
                }
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        double e = Math.exp(-beta * (d2[i][j] - min));
                        cond[i][j] = e;
                        sum += e;
                        dot += e * (d2[i][j] - min);
                    }
                }
                double entropy = Math.log(sum) + beta * dot / sum;
                for (int j = 0; j < n; j++) {
                    cond[i][j] /= sum;
                }
                if (Math.abs(entropy - target) < 1e-5) {
                    break;
                }
                if (entropy > target) {
                    lo = beta;
                    beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = (beta + lo) / 2;
                }
            }
        }
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i][j] = Math.max((cond[i][j] + cond[j][i]) / (2.0 * n), 1e-12);
            }
        }
        return p;
    }
}
