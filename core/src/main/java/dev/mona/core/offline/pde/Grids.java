package dev.mona.core.offline.pde;

/** Grid helpers shared by the solvers. */
final class Grids {
    private Grids() {}

    /** Cell averages on a periodic grid of {@code u.length} cells, linearly interpolated to {@code n} centres. */
    static double[] periodicResample(double[] u, int n) {
        int m = u.length;
        if (m == n) {
            return u.clone();
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double pos = ((i + 0.5) / n) * m - 0.5; // position in units of coarse cells
            double fl = Math.floor(pos);
            double w = pos - fl;
            int j0 = Math.floorMod((int) fl, m);
            int j1 = (j0 + 1) % m;
            out[i] = (1 - w) * u[j0] + w * u[j1];
        }
        return out;
    }
}
