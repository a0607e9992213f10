package dev.mona.core.method;

import ai.djl.ndarray.NDArray;

/**
 * Scalar arithmetic that is safe inside an autograd graph.
 *
 * <p>DJL's {@code NDArray.mul(Number)}, {@code div(Number)} and {@code pow(Number)} wrap the scalar in a tensor
 * over a Java direct buffer ({@code from_blob}) and close the wrapper right after the op. Autograd keeps that
 * tensor for the backward pass (the gradient of {@code x * c} is {@code grad * c}), but once the garbage collector
 * frees the buffer the backward reads freed memory: gradients become garbage at random (seen here as 1e10-scale
 * values once in ~40 runs). {@code toType(sameType, true)} does not help: it returns a second handle on the same
 * buffer. These helpers make the scalar a libtorch-owned tensor held by {@code x}'s manager.
 * {@code add(Number)} and {@code sub(Number)} are safe: their backward does not read the scalar.
 */
public final class GraphScalars {
    private GraphScalars() {}

    /** A libtorch-owned scalar of {@code like}'s type, in {@code like}'s manager. */
    public static NDArray constant(NDArray like, double c) {
        // ones() allocates in libtorch; the in-place scaling needs the Java scalar only during the call
        NDArray k = like.getManager().ones(new ai.djl.ndarray.types.Shape(), like.getDataType());
        boolean mode = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            return k.muli(c);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(mode);
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
}
