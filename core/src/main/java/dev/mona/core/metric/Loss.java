package dev.mona.core.metric;

import ai.djl.ndarray.NDArray;

/**
 * A differentiable training loss: a scalar from the model's output and the target, built only from ops with
 * double-backward support (so MoNA's inner gradient can be differentiated again). Arrays it creates belong to
 * the prediction's manager.
 */
@FunctionalInterface
public interface Loss {
    NDArray apply(NDArray prediction, NDArray target);
}
