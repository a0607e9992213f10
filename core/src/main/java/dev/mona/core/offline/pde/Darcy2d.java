package dev.mona.core.offline.pde;

import java.util.SplittableRandom;

/**
 * Steady Darcy flow {@code -div(a grad u) = f} on the unit square with {@code u = 0} on the boundary, on an
 * {@code n x n} node grid (NAS-Bench-360: 85 x 85, spacing {@code 1/84}). Five-point finite differences with the
 * harmonic mean of the nodal coefficients on each edge (the right average across a jump of {@code a}); the
 * symmetric positive-definite system over the interior nodes is solved exactly by a banded Cholesky
 * factorisation (bandwidth {@code n - 2}).
 * <p>
 * The coefficient of NAS-Bench-360's Darcy set: {@code a = high} where a {@link GaussianRandomField}
 * ({@code tau = 3, alpha = 2}) is {@code >= 0}, {@code low} elsewhere ({@code 12} and {@code 3}), {@code f = 1}.
 *
 * @param n     nodes per side including the boundary
 * @param f     constant forcing
 */
public record Darcy2d(int n, double f) {
    /** NAS-Bench-360's coefficient values. */
    public static final double HIGH = 12, LOW = 3;

    /** A random piecewise-constant coefficient: {@link #HIGH} where the GRF sample is non-negative. */
    public double[] randomCoefficient(SplittableRandom rng) {
        double[] g = new GaussianRandomField(n, n, 3, 2).sample(rng);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = g[i] >= 0 ? HIGH : LOW;
        }
        return a;
    }

    /** The solution {@code u} (row-major {@code [y][x]}, boundary included) for nodal coefficient {@code a}. */
    public double[] solve(double[] a) {
        int m = n - 2; // interior nodes per side
        int size = m * m;
        int w = m + 1; // neighbours at +-1 and +-m: bandwidth m
        double h2 = 1.0 / ((n - 1) * (double) (n - 1));
        double[] band = new double[size * w]; // column-major lower band: band[j * w + d] = A(j + d, j)
        double[] rhs = new double[size];
        for (int y = 1; y <= m; y++) {
            for (int x = 1; x <= m; x++) {
                int p = (y - 1) * m + (x - 1);
                double ap = a[y * n + x];
                double west = harmonic(ap, a[y * n + x - 1]);
                double east = harmonic(ap, a[y * n + x + 1]);
                double south = harmonic(ap, a[(y - 1) * n + x]);
                double north = harmonic(ap, a[(y + 1) * n + x]);
                band[p * w] = west + east + south + north;
                if (x < m) {
                    band[p * w + 1] = -east;
                }
                if (y < m) {
                    band[p * w + m] = -north;
                }
                rhs[p] = f * h2;
            }
        }
        choleskyInPlace(band, size, m);
        solveInPlace(band, size, m, rhs);
        double[] u = new double[n * n];
        for (int y = 1; y <= m; y++) {
            System.arraycopy(rhs, (y - 1) * m, u, y * n + 1, m);
        }
        return u;
    }

    /** The discrete operator {@code -div(a grad u)} at the interior nodes (0 on the boundary), for checks. */
    public double[] apply(double[] a, double[] u) {
        double inv = (n - 1) * (double) (n - 1);
        double[] out = new double[n * n];
        for (int y = 1; y < n - 1; y++) {
            for (int x = 1; x < n - 1; x++) {
                int p = y * n + x;
                double ap = a[p];
                out[p] = inv * (harmonic(ap, a[p - 1]) * (u[p] - u[p - 1])
                        + harmonic(ap, a[p + 1]) * (u[p] - u[p + 1])
                        + harmonic(ap, a[p - n]) * (u[p] - u[p - n])
                        + harmonic(ap, a[p + n]) * (u[p] - u[p + n]));
            }
        }
        return out;
    }

    private static double harmonic(double a, double b) {
        return 2 * a * b / (a + b);
    }

    /**
     * Right-looking band Cholesky {@code A = L L^T} in column-major band storage ({@code c[j * w + d] = A(j + d,
     * j)}), {@code L} overwriting {@code A}; the trailing updates are contiguous AXPYs (vectorised by the JIT).
     */
    private static void choleskyInPlace(double[] c, int size, int band) {
        int w = band + 1;
        for (int j = 0; j < size; j++) {
            int cj = j * w;
            double pivot = c[cj];
            if (pivot <= 0) {
                throw new ArithmeticException("Darcy matrix is not positive definite at row " + j
                        + " (is a coefficient value <= 0?)");
            }
            double diag = Math.sqrt(pivot);
            c[cj] = diag;
            int last = Math.min(band, size - 1 - j); // rows j+1 .. j+last are in the band
            double inv = 1 / diag;
            for (int d = 1; d <= last; d++) {
                c[cj + d] *= inv;
            }
            for (int d = 1; d <= last; d++) {
                double s = c[cj + d];
                if (s == 0) {
                    continue;
                }
                int ck = (j + d) * w - d; // c[ck + e] = A(j + e, j + d) for e >= d
                for (int e = d; e <= last; e++) {
                    c[ck + e] -= s * c[cj + e];
                }
            }
        }
    }

    /** Solves {@code L L^T x = b} in place ({@code L} in column-major band storage). */
    private static void solveInPlace(double[] c, int size, int band, double[] b) {
        int w = band + 1;
        for (int j = 0; j < size; j++) {
            b[j] /= c[j * w];
            double v = b[j];
            int last = Math.min(band, size - 1 - j);
            for (int d = 1; d <= last; d++) {
                b[j + d] -= c[j * w + d] * v;
            }
        }
        for (int j = size - 1; j >= 0; j--) {
            double s = b[j];
            int last = Math.min(band, size - 1 - j);
            for (int d = 1; d <= last; d++) {
                s -= c[j * w + d] * b[j + d];
            }
            b[j] = s / c[j * w];
        }
    }
}
