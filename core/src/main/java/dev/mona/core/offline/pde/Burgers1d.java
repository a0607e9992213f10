package dev.mona.core.offline.pde;

import dev.mona.core.offline.Fft;

/**
 * Viscous Burgers {@code u_t + (u^2/2)_x = (nu/pi) u_xx} on the periodic unit interval (PDEBench's form).
 * Finite volumes on {@code solverPoints} cells (a power of two): MUSCL reconstruction with the minmod limiter,
 * the exact (Godunov) flux of Burgers' equation and Heun's (SSP-RK2) step for the convection, Strang-split with
 * the diffusion, which is solved exactly in Fourier space. The time step is limited only by the convective CFL
 * number {@value #CFL}: {@code dt = CFL dx / max|u0|} (the maximum principle keeps {@code max|u|} from growing).
 * Cell averages are interpolated (periodic, linear) to the requested output grid.
 *
 * @param nu           PDEBench's viscosity parameter (the diffusion coefficient is {@code nu / pi})
 * @param solverPoints cells of the solver grid (a power of two)
 */
public record Burgers1d(double nu, int solverPoints) {
    /** Convective CFL number of the explicit part. */
    public static final double CFL = 0.5;

    public Burgers1d {
        if (nu < 0 || solverPoints < 8 || Integer.bitCount(solverPoints) != 1) {
            throw new IllegalArgumentException("Burgers needs nu >= 0 and a power of two >= 8 cells, got nu=" + nu
                    + " cells=" + solverPoints);
        }
    }

    /** The solution at time {@code t} on {@code n} cell centres. */
    public double[] solve(InitialCondition1d u0, int n, double t) {
        int m = solverPoints;
        double[] u = u0.onGrid(m);
        double dx = 1.0 / m;
        double umax = 1e-8;
        for (double v : u) {
            umax = Math.max(umax, Math.abs(v));
        }
        int steps = Math.max(1, (int) Math.ceil(t / (CFL * dx / umax)));
        double dt = t / steps;
        double diffusion = nu / Math.PI;
        Fft fft = new Fft(m);
        double[] full = new double[m];
        double[] half = new double[m];
        for (int k = 0; k < m; k++) {
            int kk = k <= m / 2 ? k : k - m;
            double wave = 2 * Math.PI * kk;
            full[k] = Math.exp(-diffusion * wave * wave * dt);
            half[k] = Math.exp(-diffusion * wave * wave * dt / 2);
        }
        double[] stage = new double[m];
        double[] rate = new double[m];
        double[] im = new double[m];
        diffuse(fft, u, im, half);
        for (int s = 0; s < steps; s++) {
            convectionRate(u, rate, dx);
            for (int i = 0; i < m; i++) {
                stage[i] = u[i] + dt * rate[i];
            }
            convectionRate(stage, rate, dx);
            for (int i = 0; i < m; i++) {
                u[i] = 0.5 * (u[i] + stage[i] + dt * rate[i]);
            }
            // Strang splitting: consecutive half diffusion steps merge into full ones
            diffuse(fft, u, im, s == steps - 1 ? half : full);
        }
        return Grids.periodicResample(u, n);
    }

    private static void diffuse(Fft fft, double[] u, double[] im, double[] factor) {
        java.util.Arrays.fill(im, 0);
        fft.forward(u, im);
        for (int k = 0; k < u.length; k++) {
            u[k] *= factor[k];
            im[k] *= factor[k];
        }
        fft.inverse(u, im);
    }

    /** {@code -(F_{i+1/2} - F_{i-1/2}) / dx} with MUSCL-minmod states and the Godunov flux. */
    private static void convectionRate(double[] u, double[] rate, double dx) {
        int m = u.length;
        // flux at the face between cell i and i+1, computed for every i, stored in rate temporarily shifted
        double firstFlux = 0;
        double prevFlux = 0;
        for (int i = 0; i < m; i++) {
            int im = i == 0 ? m - 1 : i - 1;
            int ip = i == m - 1 ? 0 : i + 1;
            int ipp = ip == m - 1 ? 0 : ip + 1;
            double left = u[i] + 0.5 * minmod(u[i] - u[im], u[ip] - u[i]);
            double right = u[ip] - 0.5 * minmod(u[ip] - u[i], u[ipp] - u[ip]);
            double flux = godunov(left, right);
            if (i == 0) {
                firstFlux = flux;
            } else {
                rate[i] = -(flux - prevFlux) / dx;
            }
            prevFlux = flux;
        }
        // cell 0: face on its right is firstFlux, on its left the last face (between m-1 and 0)
        rate[0] = -(firstFlux - prevFlux) / dx;
    }

    private static double minmod(double a, double b) {
        if (a * b <= 0) {
            return 0;
        }
        return Math.abs(a) < Math.abs(b) ? a : b;
    }

    /** Exact Riemann flux of {@code f(u) = u^2 / 2}. */
    static double godunov(double left, double right) {
        double l = Math.max(left, 0);
        double r = Math.min(right, 0);
        return 0.5 * Math.max(l * l, r * r);
    }
}
