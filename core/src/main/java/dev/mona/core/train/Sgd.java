package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mona.core.model.Params;

import java.util.Map;

/**
 * SGD with momentum as in PyTorch (dampening 0, no Nesterov): {@code g = grad + wd * p},
 * {@code buf = momentum * buf + g} (buf starts at 0, so the first step gives {@code buf = g}),
 * {@code p -= lr * buf}.
 */
public final class Sgd extends NamedStateOptimizer {
    static final String BUFFER = "momentum_buffer/";

    private final double momentum;
    private final double weightDecay;

    /**
     * @param stateManager where the momentum buffers live (the parameters' manager, typically)
     * @param momentum     momentum factor, 0 for plain SGD
     * @param weightDecay  L2 penalty added to the gradient
     */
    public Sgd(NDManager stateManager, double momentum, double weightDecay) {
        super(stateManager);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Params params, Map<String, NDArray> gradients, double lr) {
        if (momentum != 0) {
            gradients.forEach((name, g) -> state.computeIfAbsent(BUFFER + name, k -> zerosLike(g)));
        }
        Autograd.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                gradients.forEach((name, grad) -> {
                    NDArray p = params.get(name);
                    NDArray g = weightDecay != 0 ? grad.add(p.mul(weightDecay)) : grad;
                    if (momentum != 0) {
                        NDArray buf = state.get(BUFFER + name);
                        buf.muli(momentum).addi(g);
                        g = buf;
                    }
                    p.subi(g.mul(lr));
                });
            }
        });
        steps++;
    }
}
