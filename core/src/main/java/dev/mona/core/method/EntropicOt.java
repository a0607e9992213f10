package dev.mona.core.method;

import dev.mona.core.train.Autograd;

/**
 * Entropic optimal transport between discrete measures by log-domain Sinkhorn iterations (stable at small
 * regularisation) with epsilon scaling: the regularisation starts at the largest cost and halves down to
 * {@code reg}, then iterates at {@code reg} until the marginals match within {@code tol}.
 * Solves {@code OT_eps(a, b) = min_P <P, C> + eps KL(P | a x b)} and returns its dual potentials {@code f, g}
 * ({@code P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps)}, {@code OT_eps = <a, f> + <b, g>}).
 */
public final class EntropicOt {
    private EntropicOt() {}

    /** Potentials and value of one problem. */
    public record Solution(double[] f, double[] g, double value, double marginalError, int iterations) {}

    /** Uniform weights {@code 1/n}. */
    public static double[] uniform(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0 / n);
        return a;
    }

    /** Solves the problem with cost {@code c} (row-major n x m), weights {@code a}, {@code b}. */
    public static Solution solve(double[] c, int n, int m, double[] a, double[] b, double reg) {
        return solve(c, n, m, a, b, reg, 1e-9, 5000);
    }

    public static Solution solve(double[] c, int n, int m, double[] a, double[] b, double reg, double tol,
                                 int maxIterations) {
        if (!(reg > 0)) {
            throw new IllegalArgumentException("entropic regularisation must be positive, got " + reg);
        }
        double[] loga = log(a);
        double[] logb = log(b);
        double[] f = new double[n];
        double[] g = new double[m];
        double maxC = 0;
        for (double v : c) {
            maxC = Math.max(maxC, Math.abs(v));
        }
        int iterations = 0;
        // epsilon scaling: a few sweeps per level carry the potentials from a coarse to the target problem
        for (double eps = Math.max(maxC, reg); eps > reg; eps /= 2) {
            for (int k = 0; k < 10; k++) {
                sweep(c, n, m, loga, logb, f, g, eps);
                iterations++;
            }
        }
        double err = Double.POSITIVE_INFINITY;
        while (iterations < maxIterations) {
            sweep(c, n, m, loga, logb, f, g, reg);
            iterations++;
            if (iterations % 5 == 0) {
                err = rowMarginalError(c, n, m, a, logb, f, g, reg);
                if (err < tol) {
                    break;
                }
            }
        }
        double value = 0;
        for (int i = 0; i < n; i++) {
            value += a[i] * f[i];
        }
        for (int j = 0; j < m; j++) {
            value += b[j] * g[j];
        }
        return new Solution(f, g, value, err, iterations);
    }

    /**
     * The same iterations on the engine (vectorised log-sum-exp, float64, no graph) for large problems;
     * {@code c} is an (n, m) array.
     */
    public static Solution solve(ai.djl.ndarray.NDArray c, double reg, double tol, int maxIterations) {
        return Autograd.withGradMode(false, () -> solveWithoutGraph(c, reg, tol, maxIterations));
    }

    private static Solution solveWithoutGraph(ai.djl.ndarray.NDArray c, double reg, double tol, int maxIterations) {
        try (ai.djl.ndarray.NDManager m = c.getManager().newSubManager()) {
            ai.djl.ndarray.NDArray cost = c.toType(ai.djl.ndarray.types.DataType.FLOAT64, true);
            cost.attach(m);
            int n = (int) cost.getShape().get(0);
            int k = (int) cost.getShape().get(1);
            double loga = -Math.log(n);
            double logb = -Math.log(k);
            ai.djl.ndarray.NDArray f = m.zeros(new ai.djl.ndarray.types.Shape(n, 1), cost.getDataType());
            ai.djl.ndarray.NDArray g = m.zeros(new ai.djl.ndarray.types.Shape(1, k), cost.getDataType());
            double maxC = cost.abs().max().getDouble();
            int iterations = 0;
            for (double eps = Math.max(maxC, reg); eps > reg; eps /= 2) {
                for (int it = 0; it < 10; it++) {
                    f = lse(g.sub(cost).div(eps), 1).add(logb).mul(-eps);
                    g = lse(f.sub(cost).div(eps), 0).add(loga).mul(-eps);
                    iterations++;
                }
            }
            double err = Double.POSITIVE_INFINITY;
            while (iterations < maxIterations) {
                f = lse(g.sub(cost).div(reg), 1).add(logb).mul(-reg);
                g = lse(f.sub(cost).div(reg), 0).add(loga).mul(-reg);
                iterations++;
                if (iterations % 5 == 0) {
                    ai.djl.ndarray.NDArray rows = f.add(g).sub(cost).div(reg).exp().sum(new int[] {1}).mul(1.0 / k);
                    err = rows.sub(1).abs().sum().getDouble() / n;
                    if (err < tol) {
                        break;
                    }
                }
            }
            double[] fh = f.toDoubleArray();
            double[] gh = g.toDoubleArray();
            double value = 0;
            for (double v : fh) {
                value += v / n;
            }
            for (double v : gh) {
                value += v / k;
            }
            return new Solution(fh, gh, value, err, iterations);
        }
    }

    /** Log-sum-exp along {@code axis}, keeping the dimension. */
    private static ai.djl.ndarray.NDArray lse(ai.djl.ndarray.NDArray x, int axis) {
        ai.djl.ndarray.NDArray mx = x.max(new int[] {axis}, true);
        return x.sub(mx).exp().sum(new int[] {axis}, true).log().add(mx);
    }

    private static void sweep(double[] c, int n, int m, double[] loga, double[] logb, double[] f, double[] g,
                              double eps) {
        for (int i = 0; i < n; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                mx = Math.max(mx, logb[j] + (g[j] - c[i * m + j]) / eps);
            }
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += Math.exp(logb[j] + (g[j] - c[i * m + j]) / eps - mx);
            }
            f[i] = -eps * (mx + Math.log(s));
        }
        for (int j = 0; j < m; j++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                mx = Math.max(mx, loga[i] + (f[i] - c[i * m + j]) / eps);
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.exp(loga[i] + (f[i] - c[i * m + j]) / eps - mx);
            }
            g[j] = -eps * (mx + Math.log(s));
        }
    }

    /** L1 error of the plan's row sums (columns are exact right after a sweep). */
    private static double rowMarginalError(double[] c, int n, int m, double[] a, double[] logb, double[] f,
                                           double[] g, double eps) {
        double err = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += Math.exp(logb[j] + (f[i] + g[j] - c[i * m + j]) / eps);
            }
            err += Math.abs(a[i] * s - a[i]);
        }
        return err;
    }

    private static double[] log(double[] w) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] > 0)) {
                throw new IllegalArgumentException("OT weights must be positive, got " + w[i] + " at " + i);
            }
            out[i] = Math.log(w[i]);
        }
        return out;
    }
}
