package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.mona.core.engine.GraphScalars;
import dev.mona.core.engine.ScriptModule;
import dev.mona.core.model.Params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The autograd primitives the engine needs, over libtorch directly: grad mode (thread-local), backward
 * without DJL's process-wide single {@code GradientCollector}, per-step leaves that share storage with the
 * persistent parameters, in-place copies, and {@code torch.autograd.grad} with optional {@code create_graph}
 * (exact higher-order gradients). See ENGINE-NOTES "Memory discipline".
 *
 * <p>DJL's own backward writes {@code .grad}, which keeps a reference cycle with its parameter when the graph is
 * created, so memory grows every meta-step. {@code torch.autograd.grad} returns the gradients instead and writes
 * nothing. DJL has no binding for it, so it is called through a tiny parameter-free TorchScript module written by
 * {@link dev.mona.core.engine.TorchScriptArchive} (no Python needed) and invoked with
 * {@link ai.djl.pytorch.jni.IValueUtils#forward}. Inputs that do not
 * influence the outputs get zero gradients; outputs outside any graph (for example the zero gradient of a
 * parameter the loss does not use) are skipped, as they contribute nothing.
 *
 * <p>Arrays produced inside a graph must be made while grad mode is on: wrap the forward pass in
 * {@link #withGradMode(boolean, Supplier)}. Results belong to the manager of {@code outputs.get(0)}.
 */
public final class Autograd {
    /** TorchScript source of the module; methods differ only in {@code create_graph} / {@code retain_graph}. */
    static final String SOURCE = """
            class Autograd(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Autograd,
                x: Tensor) -> Tensor:
                return x
            """
            + method("grad_create", true, true)
            + method("grad_retain", false, true)
            + method("grad_free", false, false);

    private static final ScriptModule MODULE = new ScriptModule("autograd", "Autograd", SOURCE);

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

    private static String method(String name, boolean createGraph, boolean retainGraph) {
        String c = createGraph ? "True" : "False";
        String r = retainGraph ? "True" : "False";
        return """
                  def %s(self: __torch__.Autograd,
                    outputs: List[Tensor],
                    inputs: List[Tensor],
                    grad_outputs: List[Tensor]) -> List[Tensor]:
                    outs = annotate(List[Tensor], [])
                    seeds = annotate(List[Optional[Tensor]], [])
                    for k in range(len(outputs)):
                      if outputs[k].requires_grad:
                        outs.append(outputs[k])
                        seeds.append(grad_outputs[k])
                    result = annotate(List[Tensor], [])
                    if len(outs) == 0:
                      for x in inputs:
                        result.append(torch.zeros_like(x))
                      return result
                    grads = torch.autograd.grad(outs, inputs, seeds, %s, %s, True)
                    for i in range(len(grads)):
                      gi = grads[i]
                      if gi is None:
                        result.append(torch.zeros_like(inputs[i]))
                      else:
                        result.append(gi.contiguous())
                    return result
                """.formatted(name, r, c);
    }

    /**
     * Gradients of {@code sum_k <outputs_k, gradOutputs_k>} with respect to each of {@code inputs}.
     *
     * @param outputs     tensors in the graph (scalars when {@code gradOutputs} is null)
     * @param inputs      tensors the gradient is taken with respect to (leaves or intermediate values)
     * @param gradOutputs seeds, one per output, or null for ones
     * @param createGraph record the gradient computation so that it can be differentiated again
     * @param retainGraph keep the graph's buffers for a later call through the same graph
     */
    public static NDList grad(List<NDArray> outputs, List<NDArray> inputs, List<NDArray> gradOutputs,
                              boolean createGraph, boolean retainGraph) {
        if (outputs.isEmpty() || inputs.isEmpty()) {
            throw new IllegalArgumentException("autograd needs at least one output and one input");
        }
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) {
            throw new IllegalArgumentException(outputs.size() + " outputs but " + gradOutputs.size() + " seeds");
        }
        NDArray first = outputs.get(0);
        NDManager m = first.getManager();
        List<NDArray> temporaries = new ArrayList<>();
        List<NDArray> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (NDArray o : outputs) {
            all.add(o);
            names.add("outputs");
        }
        for (NDArray in : inputs) {
            all.add(in);
            names.add("inputs");
        }
        for (int i = 0; i < outputs.size(); i++) {
            NDArray seed = gradOutputs == null ? null : gradOutputs.get(i);
            if (seed == null || contains(all, seed)) {
                // a fresh array: one array cannot carry two names
                seed = seed == null ? m.ones(outputs.get(i).getShape(), outputs.get(i).getDataType())
                        : GraphScalars.mul(seed, 1);
                temporaries.add(seed);
            }
            all.add(seed);
            names.add("grad_outputs");
        }
        String name = createGraph ? "grad_create" : retainGraph ? "grad_retain" : "grad_free";
        try {
            return MODULE.call(name, m, all, names);
        } finally {
            temporaries.forEach(NDArray::close);
        }
    }

    private static boolean contains(List<NDArray> all, NDArray a) {
        for (NDArray b : all) {
            if (b == a) {
                return true;
            }
        }
        return false;
    }

    /** First-order gradients of a scalar {@code output}, freeing the graph. */
    public static NDList grad(NDArray output, List<NDArray> inputs) {
        return grad(List.of(output), inputs, null, false, false);
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
