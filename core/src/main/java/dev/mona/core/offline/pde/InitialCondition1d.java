package dev.mona.core.offline.pde;

import java.util.SplittableRandom;

/**
 * PDEBench's random initial condition for the 1-D sets, a periodic function on [0, 1): the sum of 2 sines
 * {@code A_i sin(2 pi n_i x + phi_i)} with {@code n_i} uniform in {1..4}, {@code A_i ~ U(0,1)},
 * {@code phi_i ~ U(0, 2 pi)}; then, with probability 0.1, its absolute value; then a random sign; then, with
 * probability 0.1, a tanh window {@code (tanh((x - xL)/d) - tanh((x - xR)/d)) / 2} with
 * {@code xL ~ U(0.1, 0.45)}, {@code xR ~ U(0.55, 0.9)}, {@code d = 0.01} (the window values are this project's
 * choice; the description only fixes the probabilities).
 *
 * @param amplitudes   the two amplitudes
 * @param wavenumbers  the two integer wavenumbers (times 2 pi)
 * @param phases       the two phases
 * @param absolute     whether the absolute value is taken
 * @param sign         +1 or -1
 * @param windowed     whether the tanh window applies
 * @param windowLeft   left edge of the window
 * @param windowRight  right edge of the window
 */
public record InitialCondition1d(double[] amplitudes, int[] wavenumbers, double[] phases, boolean absolute,
                                 double sign, boolean windowed, double windowLeft, double windowRight) {
    /** Sharpness of the tanh window. */
    public static final double WINDOW_WIDTH = 0.01;

    /** A random initial condition drawn from {@code rng}. */
    public static InitialCondition1d sample(SplittableRandom rng) {
        double[] a = new double[2];
        int[] k = new int[2];
        double[] p = new double[2];
        for (int i = 0; i < 2; i++) {
            k[i] = 1 + rng.nextInt(4);
            a[i] = rng.nextDouble();
            p[i] = rng.nextDouble() * 2 * Math.PI;
        }
        boolean abs = rng.nextDouble() < 0.1;
        double sign = rng.nextBoolean() ? 1 : -1;
        boolean win = rng.nextDouble() < 0.1;
        double xl = 0.1 + 0.35 * rng.nextDouble();
        double xr = 0.55 + 0.35 * rng.nextDouble();
        return new InitialCondition1d(a, k, p, abs, sign, win, xl, xr);
    }

    /** The value at {@code x}, taken modulo 1 (the sines are periodic; the window is evaluated on [0, 1)). */
    public double value(double x) {
        x = x - Math.floor(x);
        double u = 0;
        for (int i = 0; i < 2; i++) {
            u += amplitudes[i] * Math.sin(2 * Math.PI * wavenumbers[i] * x + phases[i]);
        }
        if (absolute) {
            u = Math.abs(u);
        }
        u *= sign;
        if (windowed) {
            u *= 0.5 * (Math.tanh((x - windowLeft) / WINDOW_WIDTH) - Math.tanh((x - windowRight) / WINDOW_WIDTH));
        }
        return u;
    }

    /** Values at the cell centres {@code (i + 0.5) / n}. */
    public double[] onGrid(int n) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = value((i + 0.5) / n);
        }
        return u;
    }

    /** {@code u} rescaled to [0, 1] ({@code (u - min) / (max - min)}); a constant becomes 0.5. */
    public static double[] minMaxNormalised(double[] u) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : u) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = hi > lo ? (u[i] - lo) / (hi - lo) : 0.5;
        }
        return out;
    }
}
