package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import dev.mona.core.model.Params;

import java.util.Map;

/**
 * A first-order optimiser over named parameters, updating them in place (no-grad) from named gradients. Its
 * state is a map of named moment arrays ({@code exp_avg/NAME}, {@code exp_avg_sq/NAME},
 * {@code momentum_buffer/NAME}) plus the number of steps taken ({@link OptimizerState}), so it checkpoints as
 * safetensors + one number.
 */
public interface Optimizer extends OptimizerState {
    /**
     * One update of every parameter named in {@code gradients} with learning rate {@code lr}; parameters without a
     * gradient (frozen) are untouched. Temporaries are freed before returning.
     */
    void step(Params params, Map<String, NDArray> gradients, double lr);

    /** The optimiser a stage-2 configuration asks for (its betas; eps 1e-8, PyTorch's default). */
    static Optimizer of(TrainConfig config, ai.djl.ndarray.NDManager stateManager) {
        return switch (config.optimizer()) {
            case SGD -> new Sgd(stateManager, config.momentum(), config.weightDecay());
            case ADAM -> new Adam(stateManager, config.beta1(), config.beta2(), 1e-8, config.weightDecay(), false);
            case ADAMW -> new Adam(stateManager, config.beta1(), config.beta2(), 1e-8, config.weightDecay(), true);
        };
    }
}
