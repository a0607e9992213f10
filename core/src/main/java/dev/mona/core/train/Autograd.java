package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.mona.core.model.Params;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The few autograd primitives the engine needs, over libtorch directly: grad mode (thread-local), backward
 * without DJL's process-wide single {@code GradientCollector}, per-step leaves that share storage with the
 * persistent parameters, and in-place copies. See ENGINE-NOTES "Memory discipline".
 */
public final class Autograd {
    private Autograd() {}

    /** Runs {@code body} with grad mode {@code enabled} on this thread, restoring the previous mode. */
    public static <T> T withGradMode(boolean enabled, Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** Runs {@code body} with gradient recording off. */
    public static void noGrad(Runnable body) {
        withGradMode(false, () -> {
            body.run();
            return null;
        });
    }

    /** Back-propagates a scalar {@code loss} into the {@code .grad} of the leaves it depends on (accumulating). */
    public static void backward(NDArray loss) {
        try (NDArray ones = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
        }
    }

    /**
     * Step-local views of {@code params} in {@code step}: each array is detached (sharing storage with the
     * persistent parameter), attached to {@code step}, and made a gradient leaf when {@code trainable} accepts its
     * name. Everything computed from the views then lands in {@code step} and is freed when it closes, while
     * in-place optimiser updates of the persistent arrays are seen by the next step's views.
     */
    public static Params leaves(Params params, Predicate<String> trainable, NDManager step) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.asMap().forEach((name, p) -> {
            NDArray leaf = p.stopGradient();
            leaf.attach(step);
            if (trainable.test(name)) {
                leaf.setRequiresGradient(true);
            }
            out.put(name, leaf);
        });
        return Params.of(out);
    }

    /**
     * The accumulated gradient of a leaf, attached to {@code step}; null when no backward pass reached the leaf
     * (an unused parameter, e.g. the word embeddings of a text encoder fed by a target embedder). Like PyTorch's
     * optimisers, callers skip such parameters, so weight decay does not shrink them.
     */
    public static NDArray gradient(NDArray leaf, NDManager step) {
        NDArray g = JniUtils.getGradient((PtNDArray) leaf);
        if (g != null) {
            g.attach(step);
        }
        return g;
    }

    /** Copies {@code src}'s values into {@code dst} in place (same shape), without recording a gradient. */
    public static void copyInto(NDArray dst, NDArray src) {
        noGrad(() -> dst.set(new NDIndex("..."), src));
    }
}
