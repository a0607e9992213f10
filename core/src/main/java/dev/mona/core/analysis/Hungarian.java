package dev.mona.core.analysis;

import java.util.Arrays;

/**
 * Minimum-cost assignment (Kuhn-Munkres with potentials, O(n^2 m)) on a rectangular cost matrix with
 * {@code rows <= columns}: every row gets a distinct column, the total cost is minimal.
 */
public final class Hungarian {
    private Hungarian() {}

    /** {@code assignment[i]} = the column matched to row {@code i}. */
    public static int[] minimize(double[][] cost) {
        int n = cost.length;
        if (n == 0) {
            return new int[0];
        }
        int m = cost[0].length;
        if (n > m) {
            throw new IllegalArgumentException("the assignment needs rows <= columns, got " + n + " x " + m);
        }
        for (double[] row : cost) {
            if (row.length != m) {
                throw new IllegalArgumentException("ragged cost matrix: rows of " + m + " and " + row.length);
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("cost matrix holds a non-finite value " + v);
                }
            }
        }
        // 1-based arrays; column 0 is the virtual start of each augmenting path
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[m + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] assignment = new int[n];
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                assignment[p[j] - 1] = j - 1;
            }
        }
        return assignment;
    }

    /** Maximum-weight assignment (negated costs). */
    public static int[] maximize(double[][] weight) {
        double[][] neg = new double[weight.length][];
        for (int i = 0; i < weight.length; i++) {
            neg[i] = new double[weight[i].length];
            for (int j = 0; j < weight[i].length; j++) {
                neg[i][j] = -weight[i][j];
            }
        }
        return minimize(neg);
    }

    /** Total cost of an assignment. */
    public static double cost(double[][] cost, int[] assignment) {
        double s = 0;
        for (int i = 0; i < assignment.length; i++) {
            s += cost[i][assignment[i]];
        }
        return s;
    }
}
