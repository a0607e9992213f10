package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
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
                NDArray total = null;
                for (NDArray g : gradients) {
                    NDArray s = g.square().sum();
                    total = total == null ? s : total.addi(s);
                }
                norm[0] = Math.sqrt(total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
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
