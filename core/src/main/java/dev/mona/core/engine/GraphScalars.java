package dev.mona.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Scalar arithmetic that is safe inside an autograd graph.
 *
 * <p>DJL's {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)} and
 * {@code minimum(Number)} wrap the scalar in a tensor over a Java direct buffer ({@code from_blob}) and close the
 * wrapper right after the op. Autograd keeps that tensor for the backward pass (the gradient of {@code x * c} is
 * {@code grad * c}; those of {@code pow}, {@code maximum}, {@code minimum} read it too), but once the garbage
 * collector frees the buffer the backward reads freed memory: gradients become garbage at random (seen as
 * 1e10-scale values once in ~40 runs). {@code toType(sameType, true)} does not help: it returns a second handle
 * on the same buffer. These helpers make the scalar a libtorch-owned tensor held by {@code x}'s manager.
 *
 * <p>When to use them (the audit criterion): an op {@code x.op(Number)} needs the helper when grad mode is on and
 * {@code x} carries, or may carry, a gradient (a parameter, an activation of the forward pass, a loss), because
 * only then does autograd record the scalar. Not needed: {@code add(Number)} / {@code sub(Number)} (their backward
 * does not read the scalar); ops under no-grad ({@code Autograd.noGrad}, optimiser updates with {@code muli} /
 * {@code subi}); arrays that cannot carry a gradient (masks, position ids, targets, gradients computed without
 * {@code createGraph}); host-side metrics.
 */
public final class GraphScalars {
    private GraphScalars() {}

    /** A libtorch-owned 0-d scalar of {@code like}'s type, in {@code like}'s manager. */
    public static NDArray constant(NDArray like, double c) {
        // ones() allocates in libtorch; the in-place scaling needs the Java scalar only during the call
        NDArray k = like.getManager().ones(new Shape(), like.getDataType());
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return k.muli(c);
        } finally {
            JniUtils.setGradMode(mode);
        }
    }

    /** {@code x * c}. */
    public static NDArray mul(NDArray x, double c) {
        return x.mul(constant(x, c));
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, double c) {
        return x.div(constant(x, c));
    }

    /** {@code x ^ c}, element-wise. */
    public static NDArray pow(NDArray x, double c) {
        return x.pow(constant(x, c));
    }

    /** {@code max(x, c)}, element-wise. */
    public static NDArray maximum(NDArray x, double c) {
        return x.maximum(constant(x, c));
    }

    /** {@code min(x, c)}, element-wise. */
    public static NDArray minimum(NDArray x, double c) {
        return x.minimum(constant(x, c));
    }
}
