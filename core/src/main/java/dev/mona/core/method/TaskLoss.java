package dev.mona.core.method;

import ai.djl.ndarray.NDArray;

/** A differentiable task loss {@code L_task(prediction, target)} returning a scalar in the prediction's graph. */
@FunctionalInterface
public interface TaskLoss {
    NDArray apply(NDArray prediction, NDArray target);

    /** Mean cross-entropy of logits {@code (B, C)} against class ids {@code (B)} (any numeric type). */
    static TaskLoss crossEntropy() {
        return (logits, y) -> {
            NDArray logp = logits.logSoftmax(1);
            NDArray onehot = y.toType(ai.djl.ndarray.types.DataType.INT64, false)
                    .oneHot((int) logits.getShape().get(1)).toType(logits.getDataType(), false);
            return GraphScalars.div(logp.mul(onehot).sum(), -logits.getShape().get(0));
        };
    }

    /** Mean squared error. */
    static TaskLoss mse() {
        return (p, y) -> p.sub(y.toType(p.getDataType(), false).reshape(p.getShape())).square().mean();
    }
}
