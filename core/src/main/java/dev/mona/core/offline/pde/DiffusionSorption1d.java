package dev.mona.core.offline.pde;

/**
 * Diffusion-sorption {@code u_t = D / R(u) u_xx} with the Freundlich retardation factor
 * {@code R(u) = 1 + ((1 - phi) / phi) rho_s k n_f u^(n_f - 1)} on x in (0, 1), cell-centred finite volumes.
 * Boundaries: {@code u(0, t) = 1} (Dirichlet) and the outflow condition {@code u(1, t) = -D u_x(1, t)}
 * (PDEBench writes {@code u = D u_x}; with the derivative taken along the outward direction of the flux this is
 * the sign that keeps the problem well posed: the opposite sign lets {@code u} grow without bound). Time
 * stepping: backward Euler with the retardation frozen at the start of each step (one tridiagonal solve a step).
 * {@code u^(n_f - 1)} is singular at 0: it is evaluated at {@code max(u, }{@value #U_FLOOR}{@code )}.
 *
 * @param d      effective diffusion coefficient D (PDEBench: 5e-4)
 * @param phi    porosity (0.29)
 * @param rhoS   bulk density (2880)
 * @param k      Freundlich parameter (3.5e-4)
 * @param nF     Freundlich exponent (0.874)
 * @param steps  time steps
 */
public record DiffusionSorption1d(double d, double phi, double rhoS, double k, double nF, int steps) {
    /** Floor of {@code u} inside the retardation factor's singular power. */
    public static final double U_FLOOR = 1e-6;

    /** PDEBench's parameters with {@code steps} time steps. */
    public static DiffusionSorption1d pdebench(int steps) {
        return new DiffusionSorption1d(5e-4, 0.29, 2880, 3.5e-4, 0.874, steps);
    }

    /** {@code R(u)}. */
    public double retardation(double u) {
        return 1 + (1 - phi) / phi * rhoS * k * nF * Math.pow(Math.max(u, U_FLOOR), nF - 1);
    }

    /** The solution at time {@code t} on {@code u0.length} cell centres, starting from {@code u0}. */
    public double[] solve(double[] u0, double t) {
        int n = u0.length;
        double dx = 1.0 / n;
        double dt = t / steps;
        double[] u = u0.clone();
        double[] sub = new double[n];
        double[] diag = new double[n];
        double[] sup = new double[n];
        double[] rhs = new double[n];
        double[] cp = new double[n];
        // right face: u_f = -D (u_f - u_{n-1}) / (dx/2)  =>  u_f = beta u_{n-1}, beta = (2D/dx) / (1 + 2D/dx)
        double q = 2 * d / dx;
        double beta = q / (1 + q);
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                double c = d / retardation(u[i]) * dt / (dx * dx);
                rhs[i] = u[i];
                if (i == 0) {
                    // left face value 1 at distance dx/2: flux term 2c (1 - u_0)
                    diag[i] = 1 + c + 2 * c;
                    sup[i] = -c;
                    sub[i] = 0;
                    rhs[i] += 2 * c;
                } else if (i == n - 1) {
                    // right face value beta u_{n-1} at distance dx/2: flux term 2c (beta - 1) u_{n-1}
                    diag[i] = 1 + c + 2 * c * (1 - beta);
                    sub[i] = -c;
                    sup[i] = 0;
                } else {
                    diag[i] = 1 + 2 * c;
                    sub[i] = -c;
                    sup[i] = -c;
                }
            }
            // Thomas' algorithm
            cp[0] = sup[0] / diag[0];
            rhs[0] = rhs[0] / diag[0];
            for (int i = 1; i < n; i++) {
                double m = diag[i] - sub[i] * cp[i - 1];
                cp[i] = sup[i] / m;
                rhs[i] = (rhs[i] - sub[i] * rhs[i - 1]) / m;
            }
            u[n - 1] = rhs[n - 1];
            for (int i = n - 2; i >= 0; i--) {
                u[i] = rhs[i] - cp[i] * u[i + 1];
            }
        }
        return u;
    }
}
