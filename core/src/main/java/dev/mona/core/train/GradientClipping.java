package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

import java.util.Collection;

/** Global gradient-norm clipping as PyTorch's {@code clip_grad_norm_}. */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * Scales all {@code gradients} in place by {@code maxNorm / (norm + 1e-6)} when their joint L2 norm exceeds
     * {@code maxNorm}; returns the norm before clipping. {@code maxNorm <= 0} only measures.
     */
    public static double clipGlobalNorm(Collection<NDArray> gradients, double maxNorm) {
        if (gradients.isEmpty()) {
            return 0;
        }
        double[] norm = new double[1];
        Autograd.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                // one norm kernel per gradient (no squared temporary), then the norm of the stacked norms
                NDList norms = new NDList(gradients.size());
                for (NDArray g : gradients) {
                    norms.add(g.norm());
                }
                NDArray total = NDArrays.stack(norms).norm();
                norm[0] = total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                if (maxNorm > 0) {
                    double coef = maxNorm / (norm[0] + 1e-6);
                    if (coef < 1) {
                        for (NDArray g : gradients) {
                            g.muli(coef);
                        }
                    }
                }
            }
        });
        return norm[0];
    }
}
