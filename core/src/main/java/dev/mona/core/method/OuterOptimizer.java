package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mona.core.train.Autograd;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.OptimizerState;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stage-1 optimiser of the parameters a stage-1 strategy moves (the embedder, sometimes the predictor):
 * SGD with momentum, Adam or AdamW (decoupled weight decay) as in PyTorch, updating arrays in place without
 * recording a graph.
 * Its state arrays live in the manager given at construction and checkpoint under the names of core's
 * {@link dev.mona.core.train.Optimizer}s ({@code momentum_buffer/NAME} for SGD, {@code exp_avg/NAME} and
 * {@code exp_avg_sq/NAME} for Adam and AdamW).
 */
public final class OuterOptimizer implements OptimizerState {
    private static final String BUFFER = "momentum_buffer/";
    private static final String EXP_AVG = "exp_avg/";
    private static final String EXP_AVG_SQ = "exp_avg_sq/";

    private final OptimizerKind kind;
    private final double lr;
    private final double weightDecay;
    private final double momentum;
    private final double beta1;
    private final double beta2;
    private final NDManager stateManager;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private int t;

    /** SGD momentum 0.9, Adam betas (0.9, 0.999). */
    public OuterOptimizer(OptimizerKind kind, double learningRate, double weightDecay, NDManager stateManager) {
        this(kind, learningRate, weightDecay, 0.9, 0.9, 0.999, stateManager);
    }

    /**
     * @param momentum SGD momentum (dampening 0; the first step's buffer is the gradient)
     * @param beta1    Adam/AdamW first-moment decay
     * @param beta2    Adam/AdamW second-moment decay
     */
    public OuterOptimizer(OptimizerKind kind, double learningRate, double weightDecay, double momentum, double beta1,
                          double beta2, NDManager stateManager) {
        this.kind = kind;
        this.lr = learningRate;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.stateManager = stateManager;
    }

    /** One step at the constructor's learning rate. */
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads) {
        step(params, grads, lr);
    }

    /**
     * One step at learning rate {@code lr} (a schedule's rate for this step): {@code params[name] -=
     * update(grads[name])} in place, for every name in {@code grads}.
     */
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        Autograd.noGrad(() -> {
            // every temporary of the update lives here and dies with the step
            try (NDManager scratch = stateManager.newSubManager()) {
                t++;
                for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                    NDArray p = params.get(e.getKey());
                    if (p == null) {
                        throw new IllegalArgumentException("gradient for unknown parameter '" + e.getKey() + "'");
                    }
                    NDArray g = tmp(scratch, e.getValue().toType(p.getDataType(), true));
                    update(e.getKey(), p, g, lr, scratch);
                }
            }
        });
    }

    private static NDArray tmp(NDManager scratch, NDArray a) {
        a.attach(scratch);
        return a;
    }

    private void update(String name, NDArray p, NDArray g, double lr, NDManager s) {
        switch (kind) {
            case SGD -> {
                if (weightDecay > 0) {
                    g = tmp(s, g.add(tmp(s, p.mul(weightDecay))));
                }
                NDArray buf = first.get(name);
                if (buf == null) {
                    buf = attached(g.duplicate());
                    first.put(name, buf);
                } else {
                    buf.muli(momentum).addi(g);
                }
                p.subi(tmp(s, buf.mul(lr)));
            }
            case ADAM, ADAMW -> {
                if (kind == OptimizerKind.ADAM && weightDecay > 0) {
                    g = tmp(s, g.add(tmp(s, p.mul(weightDecay))));
                }
                NDArray m = first.computeIfAbsent(name, k -> attached(p.zerosLike()));
                NDArray v = second.computeIfAbsent(name, k -> attached(p.zerosLike()));
                m.muli(beta1).addi(tmp(s, g.mul(1 - beta1)));
                v.muli(beta2).addi(tmp(s, g.square()).muli(1 - beta2));
                double c1 = 1 - Math.pow(beta1, t);
                double c2 = 1 - Math.pow(beta2, t);
                if (kind == OptimizerKind.ADAMW && weightDecay > 0) {
                    p.muli(1 - lr * weightDecay);
                }
                NDArray denom = tmp(s, tmp(s, v.div(c2)).sqrt()).addi(1e-8);
                p.subi(tmp(s, m.div(c1)).divi(denom).muli(lr));
            }
        }
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        String firstPrefix = kind == OptimizerKind.SGD ? BUFFER : EXP_AVG;
        first.forEach((k, v) -> out.put(firstPrefix + k, v));
        second.forEach((k, v) -> out.put(EXP_AVG_SQ + k, v));
        return out;
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void restore(Map<String, NDArray> state, long steps) {
        first.values().forEach(NDArray::close);
        second.values().forEach(NDArray::close);
        first.clear();
        second.clear();
        String firstPrefix = kind == OptimizerKind.SGD ? BUFFER : EXP_AVG;
        state.forEach((k, v) -> {
            if (k.startsWith(firstPrefix)) {
                first.put(k.substring(firstPrefix.length()), attached(v.duplicate()));
            } else if (kind != OptimizerKind.SGD && k.startsWith(EXP_AVG_SQ)) {
                second.put(k.substring(EXP_AVG_SQ.length()), attached(v.duplicate()));
            } else {
                throw new IllegalArgumentException("optimiser state '" + k + "' does not belong to " + kind);
            }
        });
        t = Math.toIntExact(steps);
    }

    private NDArray attached(NDArray a) {
        a.attach(stateManager);
        return a;
    }
}
