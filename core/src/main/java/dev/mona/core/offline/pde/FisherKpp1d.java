package dev.mona.core.offline.pde;

import dev.mona.core.offline.Fft;

/**
 * Diffusion-reaction with Fisher-KPP kinetics {@code u_t = nu u_xx + rho u (1 - u)} on the periodic unit
 * interval. Strang splitting: half a reaction step (the logistic equation's exact solution), a diffusion step
 * solved exactly in Fourier space ({@code exp(-nu k^2 dt)} per mode), half a reaction step; second order in
 * time, unconditionally stable. The grid size must be a power of two.
 *
 * @param nu    diffusion coefficient (PDEBench: 0.5)
 * @param rho   reaction rate (PDEBench: 1)
 * @param steps time steps
 */
public record FisherKpp1d(double nu, double rho, int steps) {
    /** The solution at time {@code t} on {@code u0.length} cell centres, starting from grid values {@code u0}. */
    public double[] solve(double[] u0, double t) {
        int n = u0.length;
        Fft fft = new Fft(n);
        double dt = t / steps;
        double[] decay = new double[n];
        for (int k = 0; k < n; k++) {
            int kk = k <= n / 2 ? k : k - n;
            double wave = 2 * Math.PI * kk;
            decay[k] = Math.exp(-nu * wave * wave * dt);
        }
        double growth = Math.exp(rho * dt / 2);
        double[] re = u0.clone();
        double[] im = new double[n];
        for (int s = 0; s < steps; s++) {
            logistic(re, growth);
            java.util.Arrays.fill(im, 0);
            fft.forward(re, im);
            for (int k = 0; k < n; k++) {
                re[k] *= decay[k];
                im[k] *= decay[k];
            }
            fft.inverse(re, im);
            logistic(re, growth);
        }
        return re;
    }

    /** Exact logistic step: {@code u e / (1 + u (e - 1))} with {@code e = exp(rho h)}. */
    private static void logistic(double[] u, double growth) {
        for (int i = 0; i < u.length; i++) {
            u[i] = u[i] * growth / (1 + u[i] * (growth - 1));
        }
    }
}
