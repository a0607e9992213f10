package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.mona.core.engine.ComputeMode;
import dev.mona.core.engine.ScriptModule;

import java.util.ArrayList;
import java.util.List;

/**
 * libtorch's fused {@code scaled_dot_product_attention} (on the CPU its flash-attention kernel: logits, softmax and
 * the product with the values in one pass over key blocks, never materialising the {@code N x N} probabilities),
 * reached through a TorchScript module as DJL does not bind it. The kernel has a backward but no double backward and
 * gives no gradient to the additive mask, so {@link Blocks} uses it only inside a {@link ComputeMode#firstOrder()}
 * scope and only when the mask needs no gradient (a padding mask; not Swin's trainable relative position bias).
 *
 * <p>Inputs stay in the layout the projections produce, {@code (G, N, H, D)} with any leading strides: the module
 * views them as {@code (G, H, N, D)} (a transpose, no copy), the kernel reads strided inputs, and its output
 * transposed back is the contiguous {@code (G, N, H*D)} the output projection reads. A fused {@code (G, N, 3, H, D)}
 * projection is split by {@code unbind}, whose backward stacks the three gradients straight into that layout.
 */
final class FusedAttention {
    private static final String HEADER = """
            class FusedAttention(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.FusedAttention,
                x: Tensor) -> Tensor:
                return x
            """;

    private static final ScriptModule MODULE = new ScriptModule("fused_attention", "FusedAttention", HEADER
            + method("packed", "qkv: List[Tensor]", """
                parts = qkv[0].unbind(2)
                q = parts[0].transpose(1, 2)
                k = parts[1].transpose(1, 2)
                v = parts[2].transpose(1, 2)
            """, "None")
            + method("packed_masked", "qkv: List[Tensor],\n    mask: List[Tensor]", """
                parts = qkv[0].unbind(2)
                q = parts[0].transpose(1, 2)
                k = parts[1].transpose(1, 2)
                v = parts[2].transpose(1, 2)
            """, "mask[0]")
            + method("separate", "q3: List[Tensor],\n    k3: List[Tensor],\n    v3: List[Tensor]", """
                q = q3[0].transpose(1, 2)
                k = k3[0].transpose(1, 2)
                v = v3[0].transpose(1, 2)
            """, "None")
            + method("separate_masked",
                    "q3: List[Tensor],\n    k3: List[Tensor],\n    v3: List[Tensor],\n    mask: List[Tensor]", """
                q = q3[0].transpose(1, 2)
                k = k3[0].transpose(1, 2)
                v = v3[0].transpose(1, 2)
            """, "mask[0]"));

    private FusedAttention() {}

    private static String method(String name, String args, String body, String mask) {
        return "  def " + name + "(self: __torch__.FusedAttention,\n    " + args + ") -> List[Tensor]:\n"
                + body
                + "    o = torch.scaled_dot_product_attention(q, k, v, " + mask + ")\n"
                + "    return [o.transpose(1, 2)]\n";
    }

    /**
     * Whether this thread may use the fused kernel for an attention with additive logit {@code bias} (nullable):
     * inside a first-order scope, with a bias that needs no gradient.
     */
    static boolean applies(NDArray bias) {
        return ComputeMode.isFirstOrder() && (bias == null || !JniUtils.requiresGrad((PtNDArray) bias));
    }

    /**
     * Attention of a fused projection {@code qkv (G, N, 3, H, D)}; {@code mask} (nullable) is additive and 4-D,
     * {@code (1 or G, 1 or H, N or 1, N)} ({@link #mask}). Returns {@code (G, N, H, D)}.
     */
    static NDArray packed(NDArray qkv, NDArray mask) {
        return mask == null ? call("packed", List.of(qkv), List.of("qkv"))
                : call("packed_masked", List.of(qkv, mask), List.of("qkv", "mask"));
    }

    /** Attention of separate projections {@code q, k, v (G, N, H, D)} (keys may differ in N); as {@link #packed}. */
    static NDArray separate(NDArray q, NDArray k, NDArray v, NDArray mask) {
        List<NDArray> arrays = new ArrayList<>(List.of(q, k, v));
        List<String> names = new ArrayList<>(List.of("q3", "k3", "v3"));
        if (mask != null) {
            arrays.add(mask);
            names.add("mask");
        }
        return call(mask == null ? "separate" : "separate_masked", arrays, names);
    }

    private static NDArray call(String method, List<NDArray> arrays, List<String> names) {
        return MODULE.call(method, arrays.get(0).getManager(), arrays, names).head();
    }

    /**
     * An additive {@code bias} that broadcasts to {@code (lead..., H, N, Nk)} as the kernel's 4-D mask over
     * {@code G = prod(lead)} batches: a view when its leading axes are all 1 or all full, else a broadcast copy.
     */
    static NDArray mask(NDArray bias, long[] lead) {
        if (bias == null) {
            return null;
        }
        Shape s = bias.getShape();
        int full = lead.length + 3;
        if (s.dimension() > full) {
            throw new IllegalArgumentException("attention bias " + s + " has more axes than the logits (" + full + ")");
        }
        long[] dims = new long[full];
        int pad = full - s.dimension();
        for (int i = 0; i < full; i++) {
            dims[i] = i < pad ? 1 : s.get(i - pad);
        }
        boolean ones = true;
        boolean matches = true;
        long g = 1;
        for (int i = 0; i < lead.length; i++) {
            ones &= dims[i] == 1;
            matches &= dims[i] == lead[i];
            g *= lead[i];
        }
        long h = dims[lead.length];
        long n = dims[lead.length + 1];
        long nk = dims[lead.length + 2];
        if (ones) {
            return bias.reshape(1, h, n, nk);
        }
        if (!matches) {
            long[] target = dims.clone();
            System.arraycopy(lead, 0, target, 0, lead.length);
            bias = bias.reshape(new Shape(dims)).broadcast(new Shape(target));
        }
        return bias.reshape(g, h, n, nk);
    }
}
