package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.mona.core.model.Params;

import java.util.Map;

/**
 * Adam and AdamW as in PyTorch. Per step t: Adam adds {@code wd * p} to the gradient, AdamW first scales
 * {@code p *= 1 - lr * wd}; then {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}. The update runs as libtorch's fused
 * per-parameter kernel with float32 scalars (betas rounded to float32).
 */
public final class Adam extends NamedStateOptimizer {
    static final String EXP_AVG = "exp_avg/";
    static final String EXP_AVG_SQ = "exp_avg_sq/";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    /**
     * @param stateManager where the moments live
     * @param beta1        first-moment decay
     * @param beta2        second-moment decay
     * @param eps          denominator offset
     * @param weightDecay  L2 penalty (Adam) or decoupled decay (AdamW)
     * @param decoupled    true for AdamW
     */
    public Adam(NDManager stateManager, double beta1, double beta2, double eps, double weightDecay,
                boolean decoupled) {
        super(stateManager);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    public void step(Params params, Map<String, NDArray> gradients, double lr) {
        gradients.forEach((name, g) -> {
            state.computeIfAbsent(EXP_AVG + name, k -> zerosLike(g));
            state.computeIfAbsent(EXP_AVG_SQ + name, k -> zerosLike(g));
        });
        long t = steps + 1;
        // the native update takes float32 scalars: bias corrections use the same rounded betas, so the update
        // is exactly Adam with betas (float) beta1, (float) beta2
        double b1 = (float) beta1;
        double b2 = (float) beta2;
        double bc1 = 1 - Math.pow(b1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        double stepSize = lr / bc1;
        // PyTorch's update p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) equals libtorch's fused
        // p -= c * m / (sqrt(v) + eps') with c = lr * sqrt(bc2) / bc1 and eps' = eps * sqrt(bc2):
        // one native call per parameter instead of a dozen small ops.
        float lrCorrected = (float) (stepSize * bc2Sqrt);
        float epsCorrected = (float) (eps * bc2Sqrt);
        Autograd.noGrad(() -> gradients.forEach((name, grad) -> JniUtils.adamUpdate(
                (PtNDArray) params.get(name), (PtNDArray) grad, (PtNDArray) state.get(EXP_AVG + name),
                (PtNDArray) state.get(EXP_AVG_SQ + name), (float) lr, lrCorrected, (float) weightDecay, 1f, -1f,
                (float) beta1, (float) beta2, epsCorrected, decoupled)));
        steps = t;
    }
}
