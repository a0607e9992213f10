package dev.mona.core.offline.pde;

import java.util.SplittableRandom;

/**
 * Samples of the Gaussian random field {@code N(0, (-Laplacian + tau^2 I)^-alpha)} on the unit square with
 * Neumann boundaries, on an {@code n x n} node grid ({@code x_i = i / (n - 1)}), by its cosine expansion:
 * {@code sum_{k1,k2} xi_k (pi^2 |k|^2 + tau^2)^(-alpha/2) cos(pi k1 x) cos(pi k2 y)} with {@code xi_k ~ N(0,1)},
 * {@code 0 <= k1, k2 < modes}, the constant mode left out (zero mean, as in the FNO Darcy generator).
 *
 * @param n     grid nodes per side
 * @param modes cosine modes per direction
 * @param tau   tau (Darcy: 3, so tau^2 = 9)
 * @param alpha alpha (Darcy: 2)
 */
public record GaussianRandomField(int n, int modes, double tau, double alpha) {
    /** One sample, row-major {@code [y][x]} flattened, drawn from {@code rng}. */
    public double[] sample(SplittableRandom rng) {
        double[][] basis = new double[n][modes];
        for (int i = 0; i < n; i++) {
            double x = (double) i / (n - 1);
            for (int k = 0; k < modes; k++) {
                basis[i][k] = Math.cos(Math.PI * k * x);
            }
        }
        double[][] coef = new double[modes][modes];
        for (int k2 = 0; k2 < modes; k2++) {
            for (int k1 = 0; k1 < modes; k1++) {
                double g = rng.nextGaussian();
                if (k1 == 0 && k2 == 0) {
                    continue;
                }
                double lambda = Math.PI * Math.PI * (k1 * k1 + k2 * k2) + tau * tau;
                coef[k2][k1] = g * Math.pow(lambda, -alpha / 2);
            }
        }
        // field[y][x] = sum_k2 basis[y][k2] * (sum_k1 coef[k2][k1] * basis[x][k1])
        double[][] inner = new double[modes][n];
        for (int k2 = 0; k2 < modes; k2++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int k1 = 0; k1 < modes; k1++) {
                    s += coef[k2][k1] * basis[x][k1];
                }
                inner[k2][x] = s;
            }
        }
        double[] field = new double[n * n];
        for (int y = 0; y < n; y++) {
            for (int k2 = 0; k2 < modes; k2++) {
                double b = basis[y][k2];
                for (int x = 0; x < n; x++) {
                    field[y * n + x] += b * inner[k2][x];
                }
            }
        }
        return field;
    }
}
