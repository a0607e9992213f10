package dev.mona.core.offline.pde;

/**
 * Solves the periodic system {@code -r u_{i-1} + (1 + 2r) u_i - r u_{i+1} = d_i} (backward-Euler diffusion on a
 * periodic grid) in O(n): Thomas' algorithm on the matrix with its corners removed, corrected by the
 * Sherman-Morrison formula. The factorisation is computed once per {@code r}.
 */
final class CyclicTridiagonal {
    private final int n;
    private final double a;      // sub- and super-diagonal value (-r)
    private final double[] cp;   // Thomas' modified super-diagonal
    private final double[] inv;  // 1 / modified diagonal
    private final double[] z;    // T^-1 w for the rank-one correction
    private final double gamma;
    private final double zFactor;

    CyclicTridiagonal(int n, double r) {
        if (n < 3) {
            throw new IllegalArgumentException("a periodic grid needs at least 3 points, got " + n);
        }
        this.n = n;
        this.a = -r;
        double b = 1 + 2 * r;
        gamma = -b;
        // T = A - w w' scaled: diag[0] -= gamma, diag[n-1] -= a*a/gamma (Numerical Recipes' construction)
        double[] diag = new double[n];
        java.util.Arrays.fill(diag, b);
        diag[0] = b - gamma;
        diag[n - 1] = b - a * a / gamma;
        cp = new double[n];
        inv = new double[n];
        inv[0] = 1 / diag[0];
        cp[0] = a * inv[0];
        for (int i = 1; i < n; i++) {
            inv[i] = 1 / (diag[i] - a * cp[i - 1]);
            cp[i] = a * inv[i];
        }
        double[] w = new double[n];
        w[0] = gamma;
        w[n - 1] = a;
        z = new double[n];
        thomas(w, z);
        zFactor = 1 + z[0] + a * z[n - 1] / gamma;
    }

    /** Solves in place: {@code d} is replaced by the solution. {@code work} has length n. */
    void solve(double[] d, double[] work) {
        thomas(d, work);
        double f = (work[0] + a * work[n - 1] / gamma) / zFactor;
        for (int i = 0; i < n; i++) {
            d[i] = work[i] - f * z[i];
        }
    }

    private void thomas(double[] rhs, double[] x) {
        x[0] = rhs[0] * inv[0];
        for (int i = 1; i < n; i++) {
            x[i] = (rhs[i] - a * x[i - 1]) * inv[i];
        }
        for (int i = n - 2; i >= 0; i--) {
            x[i] -= cp[i] * x[i + 1];
        }
    }
}
