package dev.mona.core.method;

import java.util.SplittableRandom;

/**
 * Seeded k-means (k-means++ seeding, then Lloyd iterations until no assignment changes): ORCA's pseudo-labels
 * for regression and dense tasks, so that the OTDD can be class-conditional.
 */
public final class KMeans {
    private KMeans() {}

    /** Cluster ids in {@code [0, k')} for each row, {@code k' = min(k, rows)}; empty clusters are re-seeded. */
    public static int[] cluster(double[][] x, int k, long seed, int maxIterations) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("k-means needs at least one sample");
        }
        k = Math.min(k, n);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = new double[k][];
        centres[0] = x[rng.nextInt(n)].clone();
        double[] d2 = new double[n];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                d2[i] = Double.POSITIVE_INFINITY;
                for (int e = 0; e < c; e++) {
                    d2[i] = Math.min(d2[i], sq(x[i], centres[e]));
                }
                total += d2[i];
            }
            int pick = rng.nextInt(n);
            if (total > 0) {
                double r = rng.nextDouble() * total;
                for (int i = 0; i < n; i++) {
                    r -= d2[i];
                    if (r <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            centres[c] = x[pick].clone();
        }
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        for (int it = 0; it < maxIterations; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double d = sq(x[i], centres[c]);
                    if (d < bd) {
                        bd = d;
                        best = c;
                    }
                }
                if (assign[i] != best) {
                    assign[i] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            int dim = x[0].length;
            double[][] sum = new double[k][dim];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[assign[i]]++;
                for (int j = 0; j < dim; j++) {
                    sum[assign[i]][j] += x[i][j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (count[c] == 0) {
                    centres[c] = x[rng.nextInt(n)].clone();
                } else {
                    for (int j = 0; j < dim; j++) {
                        sum[c][j] /= count[c];
                    }
                    centres[c] = sum[c];
                }
            }
        }
        return compact(assign);
    }

    /** Renumbers cluster ids to 0..k'-1 in order of first appearance (drops empty clusters). */
    private static int[] compact(int[] a) {
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = ids.computeIfAbsent(a[i], key -> ids.size());
        }
        return out;
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s += d * d;
        }
        return s;
    }
}
