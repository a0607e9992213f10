package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.ScriptModule;
import dev.mona.core.model.Params;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam and AdamW as in PyTorch. Per step t: Adam adds {@code wd * p} to the gradient, AdamW first scales
 * {@code p *= 1 - lr * wd}; then {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}. The update is libtorch's fused kernel
 * (PyTorch's {@code fused=True}): one call and one pass over each parameter, gradient and both moments for the whole
 * model (2.0 ms instead of 5.5 ms for ViT-Tiny's 1.8 M parameters on two cores).
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
        if (gradients.isEmpty()) {
            steps++;
            return;
        }
        gradients.forEach((name, g) -> {
            state.computeIfAbsent(EXP_AVG + name, k -> zerosLike(g));
            state.computeIfAbsent(EXP_AVG_SQ + name, k -> zerosLike(g));
        });
        long t = steps + 1;
        List<NDArray> arrays = new ArrayList<>(4 * gradients.size() + 1);
        List<String> names = new ArrayList<>(4 * gradients.size() + 1);
        gradients.forEach((name, g) -> {
            arrays.add(params.get(name));
            names.add("params");
            arrays.add(g);
            names.add("grads");
            arrays.add(state.get(EXP_AVG + name));
            names.add("exp_avgs");
            arrays.add(state.get(EXP_AVG_SQ + name));
            names.add("exp_avg_sqs");
        });
        NDArray first = gradients.values().iterator().next();
        // the kernel reads the step count and the hyper-parameters as doubles
        try (NDManager scratch = first.getManager().newSubManager()) {
            NDArray hyper = scratch.create(new double[] {t, lr, beta1, beta2, weightDecay, eps});
            arrays.add(hyper);
            names.add("hyper");
            Autograd.noGrad(() -> FUSED.call(decoupled ? "adamw" : "adam", scratch, arrays, names));
        }
        steps = t;
    }

    /**
     * libtorch's fused Adam / AdamW kernels ({@code torch._fused_adam_}, {@code torch._fused_adamw_}: one pass
     * over parameter, gradient and both moments) through TorchScript, as DJL binds neither. The arguments are
     * grouped per parameter (p, g, m, v), the hyper-parameters travel in one float64 array.
     */
    private static final ScriptModule FUSED = new ScriptModule("fused_adam", "FusedAdam", """
            class FusedAdam(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.FusedAdam,
                x: Tensor) -> Tensor:
                return x
            """ + fusedMethod("adam", "_fused_adam_") + fusedMethod("adamw", "_fused_adamw_"));

    private static String fusedMethod(String name, String op) {
        return """
                  def %s(self: __torch__.FusedAdam,
                    params: List[Tensor],
                    grads: List[Tensor],
                    exp_avgs: List[Tensor],
                    exp_avg_sqs: List[Tensor],
                    hyper: List[Tensor]) -> List[Tensor]:
                    h = hyper[0]
                    step = h[0].float()
                    steps = annotate(List[Tensor], [])
                    for i in range(len(params)):
                      steps.append(step)
                    none = annotate(List[Tensor], [])
                    torch.%s(params, grads, exp_avgs, exp_avg_sqs, none, steps, lr=float(h[1].item()),
                      beta1=float(h[2].item()), beta2=float(h[3].item()), weight_decay=float(h[4].item()),
                      eps=float(h[5].item()), amsgrad=False, maximize=False)
                    return none
                """.formatted(name, op);
    }
}
