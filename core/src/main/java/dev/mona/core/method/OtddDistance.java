package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.mona.core.engine.GraphScalars;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The optimal-transport dataset distance (OTDD, Alvarez-Melis and Fusi 2020) as ORCA uses it, differentiable with
 * respect to the features of both data sets.
 *
 * <p>Points are (feature, label) pairs with uniform weights. Ground cost between {@code (x, y)} and {@code (x', y')}:
 * {@code ||x - x'||^2 / 2 + W(y, y') / 2}, where the label-to-label distance {@code W(y, y')} is the debiased
 * entropic squared-W2 distance between the class-conditional feature sets (cost {@code ||x - x'||^2}).
 * The data-set level OT is entropic too, and the result is debiased:
 * {@code OTDD(A, B) = S(A, B) - S(A, A) / 2 - S(B, B) / 2} (zero for identical data sets), with
 * {@code S = OT_eps} the entropic OT value including its entropy term, {@code eps = reg} (default 0.1) in the units
 * of the cost.
 *
 * <p>Every Sinkhorn problem is solved on the host in float64 ({@link EntropicOt}); its value enters the graph as
 * the dual expression {@code <a, f> + <b, g> - eps sum_ij a_i b_j (exp((f_i + g_j - C_ij) / eps) - 1)} with the
 * potentials held fixed: at the optimum this equals {@code OT_eps} and its gradient with respect to the cost is the
 * entropic plan, which is the exact gradient of {@code OT_eps} (envelope theorem). Give float64 arrays for accuracy.
 */
public final class OtddDistance {
    /** ORCA's entropic regularisation. */
    public static final double DEFAULT_REG = 0.1;

    /** Problems up to this many cost entries are solved on the host. */
    static final long HOST_LIMIT = 40_000;

    private final double reg;
    private final double tolerance;

    public OtddDistance(double reg) {
        if (!(reg > 0)) {
            throw new IllegalArgumentException("OTDD regularisation must be positive, got " + reg);
        }
        this.reg = reg;
        this.tolerance = 1e-7;
    }

    public double reg() {
        return reg;
    }

    /** Debiased OTDD between {@code (xa, ya)} and {@code (xb, yb)}; a scalar in the features' graph. */
    public NDArray distance(NDArray xa, int[] ya, NDArray xb, int[] yb) {
        return distance(xa, ya, xb, yb, true);
    }

    /**
     * Debiased OTDD; with {@code includeSelfA = false} the term {@code -S(A, A) / 2}, which does not depend on
     * B, is left out (ORCA only needs gradients with respect to the target set B, and S(A, A) is the costliest).
     */
    public NDArray distance(NDArray xa, int[] ya, NDArray xb, int[] yb, boolean includeSelfA) {
        return distance(xa, ya, xb, yb, includeSelfA, null);
    }

    /**
     * As {@link #distance(NDArray, int[], NDArray, int[], boolean)}, reusing the per-class values
     * {@code OT(A_y, A_y)} from {@link #classSelfTerms} (constants with respect to B) when not null.
     */
    public NDArray distance(NDArray xa, int[] ya, NDArray xb, int[] yb, boolean includeSelfA, double[] selfTermsA) {
        check(xa, ya, "A");
        check(xb, yb, "B");
        int[] ka = classes(ya);
        int[] kb = classes(yb);
        // label-to-label W(y, y'), debiased: OT(A_y, B_y') - OT(A_y, A_y)/2 - OT(B_y', B_y')/2
        NDArray[] selfA = new NDArray[ka.length];
        NDArray[] selfB = new NDArray[kb.length];
        NDArray[] partA = split(xa, ya, ka);
        NDArray[] partB = split(xb, yb, kb);
        if (selfTermsA != null && selfTermsA.length != ka.length) {
            throw new IllegalArgumentException(selfTermsA.length + " cached class terms for " + ka.length + " classes");
        }
        for (int i = 0; i < ka.length; i++) {
            selfA[i] = selfTermsA != null && !includeSelfA
                    ? xa.getManager().create(selfTermsA[i]).toType(xa.getDataType(), false)
                    : ot(sqDist(partA[i], partA[i]));
        }
        for (int j = 0; j < kb.length; j++) {
            selfB[j] = ot(sqDist(partB[j], partB[j]));
        }
        NDArray wab = labelMatrix(partA, partB, selfA, selfB);
        NDArray sab = ot(groundCost(xa, ya, ka, xb, yb, kb, wab));
        NDArray wbb = labelMatrix(partB, partB, selfB, selfB);
        NDArray sbb = ot(groundCost(xb, yb, kb, xb, yb, kb, wbb));
        NDArray d = sab.sub(GraphScalars.mul(sbb, 0.5));
        if (includeSelfA) {
            NDArray waa = labelMatrix(partA, partA, selfA, selfA);
            d = d.sub(GraphScalars.mul(ot(groundCost(xa, ya, ka, xa, ya, ka, waa)), 0.5));
        }
        return d;
    }

    /** {@code OT_eps(A_y, A_y)} per class of A (sorted class ids), with cost {@code ||x - x'||^2}. */
    public double[] classSelfTerms(NDArray xa, int[] ya) {
        int[] ka = classes(ya);
        NDArray[] parts = split(xa, ya, ka);
        double[] out = new double[ka.length];
        for (int i = 0; i < ka.length; i++) {
            out[i] = ot(sqDist(parts[i], parts[i])).getDouble();
        }
        return out;
    }

    /** The K x K' matrix of debiased label distances (zero on matching classes of one set by construction). */
    private NDArray labelMatrix(NDArray[] pa, NDArray[] pb, NDArray[] selfA, NDArray[] selfB) {
        boolean same = pa == pb;
        NDList entries = new NDList();
        for (int i = 0; i < pa.length; i++) {
            for (int j = 0; j < pb.length; j++) {
                if (same && i == j) {
                    entries.add(selfA[i].zerosLike());
                } else {
                    entries.add(ot(sqDist(pa[i], pb[j])).sub(GraphScalars.mul(selfA[i], 0.5)).sub(GraphScalars.mul(selfB[j], 0.5)));
                }
            }
        }
        return NDArrays.stack(entries).reshape(pa.length, pb.length);
    }

    /** {@code ||x_i - x'_j||^2 / 2 + W(y_i, y'_j) / 2}. */
    private static NDArray groundCost(NDArray xa, int[] ya, int[] ka, NDArray xb, int[] yb, int[] kb, NDArray w) {
        NDArray oa = oneHot(xa.getManager(), ya, ka, xa.getDataType());
        NDArray ob = oneHot(xa.getManager(), yb, kb, xa.getDataType());
        return GraphScalars.mul(sqDist(xa, xb).add(oa.matMul(w).matMul(ob.transpose())), 0.5);
    }

    /** Pairwise squared Euclidean distances {@code |x_i|^2 + |x'_j|^2 - 2 x_i . x'_j} (memory n x m, not n x m x d). */
    static NDArray sqDist(NDArray a, NDArray b) {
        NDArray na = a.square().sum(new int[] {1}, true);
        NDArray nb = b.square().sum(new int[] {1}, true).transpose();
        return na.add(nb).sub(GraphScalars.mul(a.matMul(b.transpose()), 2));
    }

    /** {@code OT_eps} with uniform weights for cost {@code c}, as the dual expression in {@code c}'s graph. */
    NDArray ot(NDArray c) {
        int n = (int) c.getShape().get(0);
        int m = (int) c.getShape().get(1);
        double[] a = EntropicOt.uniform(n);
        double[] b = EntropicOt.uniform(m);
        // small problems on the host (exact iteration control), large ones vectorised on the engine
        EntropicOt.Solution s = (long) n * m <= HOST_LIMIT
                ? EntropicOt.solve(c.toType(DataType.FLOAT64, false).toDoubleArray(), n, m, a, b, reg)
                : EntropicOt.solve(c, reg, tolerance, 5000);
        if (!Double.isFinite(s.value())) {
            throw new IllegalStateException("Sinkhorn diverged on a " + n + " x " + m + " problem (reg " + reg
                    + "); check the features for NaN or infinite values");
        }
        NDManager mg = c.getManager();
        DataType t = c.getDataType();
        NDArray f = mg.create(s.f(), new Shape(n, 1)).toType(t, false);
        NDArray g = mg.create(s.g(), new Shape(1, m)).toType(t, false);
        NDArray ratio = GraphScalars.mul(GraphScalars.div(f.add(g).sub(c), reg).exp().sub(1).sum(), -reg / ((double) n * m));
        return ratio.add(s.value());
    }

    private static NDArray[] split(NDArray x, int[] y, int[] classes) {
        NDArray[] out = new NDArray[classes.length];
        for (int k = 0; k < classes.length; k++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == classes[k]) {
                    rows.add(i);
                }
            }
            // gather by a 0/1 selection matrix: exact and differentiable
            float[] sel = new float[rows.size() * y.length];
            for (int r = 0; r < rows.size(); r++) {
                sel[r * y.length + rows.get(r)] = 1f;
            }
            NDArray s = x.getManager().create(sel, new Shape(rows.size(), y.length)).toType(x.getDataType(), false);
            out[k] = s.matMul(x);
        }
        return out;
    }

    private static NDArray oneHot(NDManager m, int[] y, int[] classes, DataType t) {
        float[] o = new float[y.length * classes.length];
        for (int i = 0; i < y.length; i++) {
            o[i * classes.length + Arrays.binarySearch(classes, y[i])] = 1f;
        }
        return m.create(o, new Shape(y.length, classes.length)).toType(t, false);
    }

    private static int[] classes(int[] y) {
        return new TreeSet<>(Arrays.stream(y).boxed().toList()).stream().mapToInt(Integer::intValue).toArray();
    }

    private static void check(NDArray x, int[] y, String which) {
        if (x.getShape().dimension() != 2 || x.getShape().get(0) != y.length || y.length == 0) {
            throw new IllegalArgumentException("OTDD data set " + which + " needs features (n, d) and n labels; got "
                    + x.getShape() + " and " + y.length + " labels");
        }
    }
}
