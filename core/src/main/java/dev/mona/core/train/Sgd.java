package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mona.core.model.Params;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum as in PyTorch (dampening 0, no Nesterov): {@code g = grad + wd * p},
 * {@code buf = momentum * buf + g} (buf starts at 0, so the first step gives {@code buf = g}),
 * {@code p -= lr * buf}.
 */
public final class Sgd implements Optimizer {
    static final String BUFFER = "momentum_buffer/";

    private final NDManager stateManager;
    private final double momentum;
    private final double weightDecay;
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private long steps;

    /**
     * @param stateManager where the momentum buffers live (the parameters' manager, typically)
     * @param momentum     momentum factor, 0 for plain SGD
     * @param weightDecay  L2 penalty added to the gradient
     */
    public Sgd(NDManager stateManager, double momentum, double weightDecay) {
        this.stateManager = stateManager;
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

    private NDArray zerosLike(NDArray like) {
        NDArray z = stateManager.zeros(like.getShape(), like.getDataType());
        NDScope.unregister(z);
        return z;
    }

    @Override
    public Map<String, NDArray> state() {
        return java.util.Collections.unmodifiableMap(state);
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restore(Map<String, NDArray> newState, long newSteps) {
        state.values().forEach(NDArray::close);
        state.clear();
        newState.forEach((k, v) -> {
            NDArray copy = stateManager.zeros(v.getShape(), v.getDataType());
            Autograd.copyInto(copy, v);
            state.put(k, copy);
        });
        steps = newSteps;
    }
}
