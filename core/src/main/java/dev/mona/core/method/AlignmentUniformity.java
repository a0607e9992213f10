package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.mona.core.engine.GraphScalars;

/**
 * MoNA's outer losses on L2-normalised source features {@code z} (rows on the unit sphere), after Wang and Isola:
 * <ul>
 *   <li>{@code L_align = mean over same-class pairs i != j of ||z_i - z_j||^2};</li>
 *   <li>{@code L_unif = log mean over pairs i != j of exp(-t ||z_i - z_j||^2)} over all pairs or only
 *       different-class pairs ({@link UniformityPairs}).</li>
 * </ul>
 * Ordered pairs are used; since the distance is symmetric the mean equals the mean over unordered pairs.
 * Squared distances of unit vectors are computed as {@code 2 - 2 z_i . z_j} (no square root, smooth everywhere).
 */
public final class AlignmentUniformity {
    private AlignmentUniformity() {}

    /** Rows of {@code x} divided by their L2 norm (differentiable). */
    public static NDArray normalize(NDArray x) {
        NDArray norm = x.square().sum(new int[] {1}, true).add(1e-24).sqrt();
        return x.div(norm);
    }

    /** Pairwise squared distances {@code 2 - 2 Z Z^T} of unit rows. */
    static NDArray squaredDistances(NDArray z) {
        return GraphScalars.mul(z.matMul(z.transpose()), -2).add(2);
    }

    /** {@code L_align} of unit rows {@code z} with class ids {@code labels}; throws if no same-class pair exists. */
    public static NDArray alignment(NDArray z, int[] labels) {
        NDArray mask = pairMask(z.getManager(), labels, true, z);
        double count = count(labels, true);
        if (count == 0) {
            throw new IllegalArgumentException("the source batch holds no two samples of one class; "
                    + "use a batch composition with samplesPerClass >= 2");
        }
        return GraphScalars.div(squaredDistances(z).mul(mask).sum(), count);
    }

    /** {@code L_unif} of unit rows {@code z} at temperature {@code t} over the chosen pairs. */
    public static NDArray uniformity(NDArray z, int[] labels, double t, UniformityPairs pairs) {
        boolean all = pairs == UniformityPairs.ALL;
        NDArray mask = all ? offDiagonal(z.getManager(), labels.length, z) : pairMask(z.getManager(), labels, false, z);
        double count = all ? (double) labels.length * (labels.length - 1) : count(labels, false);
        if (count == 0) {
            throw new IllegalArgumentException("the source batch has no pair for the uniformity loss (" + pairs
                    + "); use at least two " + (all ? "samples" : "classes"));
        }
        return GraphScalars.div(GraphScalars.mul(squaredDistances(z), -t).exp().mul(mask).sum(), count).log();
    }

    /** Same-class (or different-class) mask with a zero diagonal, in {@code like}'s type. */
    private static NDArray pairMask(NDManager m, int[] labels, boolean same, NDArray like) {
        int n = labels.length;
        float[] mask = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                mask[i * n + j] = i != j && (labels[i] == labels[j]) == same ? 1f : 0f;
            }
        }
        return m.create(mask, new Shape(n, n)).toType(like.getDataType(), true);
    }

    private static NDArray offDiagonal(NDManager m, int n, NDArray like) {
        float[] mask = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                mask[i * n + j] = i != j ? 1f : 0f;
            }
        }
        return m.create(mask, new Shape(n, n)).toType(like.getDataType(), true);
    }

    private static double count(int[] labels, boolean same) {
        double c = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < labels.length; j++) {
                if (i != j && (labels[i] == labels[j]) == same) {
                    c++;
                }
            }
        }
        return c;
    }

    /** Host version of {@code L_align} for analysis (features normalised here). */
    public static double alignment(double[][] features, int[] labels) {
        double[][] z = normalizeRows(features);
        double sum = 0;
        double n = 0;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z.length; j++) {
                if (i != j && labels[i] == labels[j]) {
                    sum += sq(z[i], z[j]);
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Host version of {@code L_unif} for analysis (features normalised here). */
    public static double uniformity(double[][] features, int[] labels, double t, UniformityPairs pairs) {
        double[][] z = normalizeRows(features);
        double sum = 0;
        double n = 0;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z.length; j++) {
                if (i != j && (pairs == UniformityPairs.ALL || labels[i] != labels[j])) {
                    sum += Math.exp(-t * sq(z[i], z[j]));
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : Math.log(sum / n);
    }

    static double[][] normalizeRows(double[][] x) {
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (double v : x[i]) {
                s += v * v;
            }
            double norm = Math.max(Math.sqrt(s), 1e-12);
            z[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                z[i][k] = x[i][k] / norm;
            }
        }
        return z;
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return s;
    }
}
