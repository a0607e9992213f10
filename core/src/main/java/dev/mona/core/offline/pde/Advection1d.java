package dev.mona.core.offline.pde;

/**
 * Linear advection {@code u_t + beta u_x = 0} on the periodic unit interval, solved exactly:
 * {@code u(x, t) = u0(x - beta t)}.
 *
 * @param beta advection speed (PDEBench: 0.4)
 */
public record Advection1d(double beta) {
    /** The solution at time {@code t} on {@code n} cell centres. */
    public double[] solve(InitialCondition1d u0, int n, double t) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = u0.value((i + 0.5) / n - beta * t);
        }
        return u;
    }
}
