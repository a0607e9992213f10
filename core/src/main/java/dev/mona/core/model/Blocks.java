package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import dev.mona.core.engine.GraphScalars;
import dev.mona.core.engine.Products;

/**
 * The transformer building blocks as pure functions over {@link Params}. By default every op used here has a double
 * backward in libtorch (ENGINE-NOTES.md), because MoNA differentiates through the encoder twice; inside a
 * {@link dev.mona.core.engine.ComputeMode#firstOrder()} scope the self-attentions use the fused kernel
 * ({@link FusedAttention}) instead.
 */
public final class Blocks {
    /** Additive attention logit for a masked key: exp underflows to exactly 0 in float32 and float64. */
    public static final double MASKED_LOGIT = -1e9;

    private Blocks() {}

    /** {@code x W^T + b} with {@code name.weight (out, in)} and, when present, {@code name.bias (out)}. */
    public static NDArray linear(Params p, String name, NDArray x) {
        String b = name + ".bias";
        return Products.linear(x, p.get(name + ".weight"), p.has(b) ? p.get(b) : null);
    }

    /** LayerNorm over the last axis with {@code name.weight}, {@code name.bias} and the given epsilon. */
    public static NDArray layerNorm(Params p, String name, NDArray x, double eps) {
        NDArray gamma = p.get(name + ".weight");
        return LayerNorm.layerNorm(x, gamma.getShape(), gamma, p.get(name + ".bias"), (float) eps).head();
    }

    /**
     * The patch projection of images {@code (B, C, H, W)} by a convolution with kernel = stride = {@code p} (weight
     * {@code (width, C, p, p)}, bias {@code (width)}), as tokens {@code (B, (H/p)*(W/p), width)} in row-major patch
     * order. Computed as a product over the flattened {@code (C, p, p)} patches, so the tokens come out in their
     * natural layout: the convolution's {@code (B, width, N)} output transposed would make the LayerNorm and the
     * residual additions after it copy the tokens, forward and backward.
     */
    public static NDArray patchProjection(NDArray images, NDArray weight, NDArray bias, int p) {
        Shape s = images.getShape();
        long c = s.get(1);
        long gh = s.get(2) / p;
        long gw = s.get(3) / p;
        if (s.dimension() != 4 || gh * p != s.get(2) || gw * p != s.get(3)) {
            throw new IllegalArgumentException("patch projection needs (B, C, H, W) with H and W multiples of " + p
                    + ", got " + s);
        }
        NDArray patches = images.reshape(s.get(0), c, gh, p, gw, p).transpose(0, 2, 4, 1, 3, 5)
                .reshape(s.get(0), gh * gw, c * p * p);
        return Products.linear(patches, own(weight.reshape(weight.getShape().get(0), c * p * p), images), bias);
    }

    /** GELU, exact erf form {@code x * Phi(x)} (BERT, RoBERTa, ViT and Swin all use it). */
    public static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /** Two-layer perceptron {@code fc2(gelu(fc1(x)))}. */
    public static NDArray mlp(Params p, String fc1, String fc2, NDArray x) {
        return linear(p, fc2, gelu(linear(p, fc1, x)));
    }

    /** {@code (..., N, H*D)} to {@code (..., H, N, D)}. */
    public static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        int r = s.dimension();
        long c = s.get(r - 1);
        long[] dims = new long[r + 1];
        for (int i = 0; i < r - 1; i++) {
            dims[i] = s.get(i);
        }
        dims[r - 1] = heads;
        dims[r] = c / heads;
        return x.reshape(new Shape(dims)).swapAxes(r - 2, r - 1);
    }

    /** {@code (..., H, N, D)} to {@code (..., N, H*D)}. */
    public static NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        int r = s.dimension();
        long[] dims = new long[r - 1];
        for (int i = 0; i < r - 3; i++) {
            dims[i] = s.get(i);
        }
        dims[r - 3] = s.get(r - 2);
        dims[r - 2] = s.get(r - 3) * s.get(r - 1);
        return x.swapAxes(r - 3, r - 2).reshape(new Shape(dims));
    }

    /**
     * Scaled dot-product attention on head-split inputs {@code (..., H, N, D)}:
     * {@code softmax(q k^T / sqrt(D) + bias) v}. {@code bias} (nullable) is added to the logits and must broadcast
     * to {@code (..., H, N, N)}: a relative position bias, a shifted-window mask or a padding mask.
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray bias) {
        Shape s = q.getShape();
        int r = s.dimension();
        long n = s.get(r - 2);
        long d = s.get(r - 1);
        long nk = k.getShape().get(r - 2);
        NDArray out = attention3d(q.reshape(-1, n, d), k.reshape(-1, nk, d), v.reshape(-1, nk, d), bias, s);
        return out.reshape(s);
    }

    /**
     * Attention on {@code (G, N, D)} arrays, {@code G} = the product of the leading axes of {@code lead}
     * ({@code (..., H, N, D)}), to which the logits are reshaped only when a bias must broadcast over them.
     * 3-D batched products (bmm) measured ~10% faster per training step than 4-D / 5-D matmul.
     */
    private static NDArray attention3d(NDArray q, NDArray k, NDArray v, NDArray bias, Shape lead) {
        long n = q.getShape().get(1);
        long d = q.getShape().get(2);
        long nk = k.getShape().get(1);
        // scaling q (N*D values) is cheaper than scaling the N*N logits
        NDArray logits = GraphScalars.mul(q, 1.0 / Math.sqrt(d)).batchMatMul(k.swapAxes(1, 2));
        if (bias != null) {
            logits = logits.reshape(withLast2(lead, n, nk)).add(bias).reshape(-1, n, nk);
        }
        return logits.softmax(-1).batchMatMul(v);
    }

    /** The first {@code count} axes of {@code s}. */
    private static long[] leading(Shape s, int count) {
        long[] dims = new long[count];
        for (int i = 0; i < count; i++) {
            dims[i] = s.get(i);
        }
        return dims;
    }

    /** {@code s} with its last two axes replaced by {@code (a, b)}. */
    private static Shape withLast2(Shape s, long a, long b) {
        long[] dims = s.getShape().clone();
        dims[dims.length - 2] = a;
        dims[dims.length - 1] = b;
        return new Shape(dims);
    }

    /**
     * timm-style multi-head self-attention with a fused projection {@code prefix + "qkv"} {@code (3C, C)} and
     * output projection {@code prefix + "proj"}; {@code x} is {@code (..., N, C)}.
     */
    public static NDArray fusedSelfAttention(Params p, String prefix, NDArray x, int heads, NDArray bias) {
        Shape s = x.getShape();
        int r = s.dimension();
        long c = s.get(r - 1);
        NDArray qkv = linear(p, prefix + "qkv", x);
        if (FusedAttention.applies(bias)) {
            // the projection's own layout (..., N, 3, H, D): no permutation before the kernel, none after it
            NDArray ctx = FusedAttention.packed(qkv.reshape(-1, s.get(r - 2), 3, heads, c / heads),
                    FusedAttention.mask(bias, leading(s, r - 2)));
            return linear(p, prefix + "proj", ctx.reshape(s));
        }
        long[] dims = new long[r + 2];
        for (int i = 0; i < r - 1; i++) {
            dims[i] = s.get(i);
        }
        dims[r - 1] = 3;
        dims[r] = heads;
        dims[r + 1] = c / heads;
        // (..., N, 3, H, D) -> (3, ..., H, N, D): one permutation yields q, k and v as views
        int[] perm = new int[r + 2];
        perm[0] = r - 1;
        for (int i = 0; i < r - 2; i++) {
            perm[1 + i] = i;
        }
        perm[r - 1] = r;
        perm[r] = r - 2;
        perm[r + 1] = r + 1;
        // one copy makes q, k and v contiguous (G, N, D) slices, G = (...) * H
        NDArray split = qkv.reshape(new Shape(dims)).transpose(perm).reshape(3, -1, s.get(r - 2), c / heads);
        long[] lead = new long[r + 1];
        for (int i = 0; i < r - 2; i++) {
            lead[i] = s.get(i);
        }
        lead[r - 2] = heads;
        lead[r - 1] = s.get(r - 2);
        lead[r] = c / heads;
        Shape headShape = new Shape(lead);
        // split, not three get(i): select's backward zero-fills a full (3, G, N, D) gradient per slice, split's
        // backward is one concatenation
        ai.djl.ndarray.NDList qkvParts = split.split(3, 0);
        NDArray ctx = attention3d(qkvParts.get(0).squeeze(0), qkvParts.get(1).squeeze(0),
                qkvParts.get(2).squeeze(0), bias, headShape).reshape(headShape);
        return linear(p, prefix + "proj", mergeHeads(ctx));
    }

    /**
     * Hugging Face-style multi-head self-attention with separate {@code query}, {@code key}, {@code value}
     * projections under {@code selfPrefix} and the output projection {@code outName}; {@code x} is
     * {@code (..., N, C)}.
     */
    public static NDArray selfAttention(Params p, String selfPrefix, String outName, NDArray x, int heads,
                                        NDArray bias) {
        if (FusedAttention.applies(bias)) {
            Shape s = x.getShape();
            int r = s.dimension();
            long n = s.get(r - 2);
            long d = s.get(r - 1) / heads;
            // each projection viewed as (G, N, H, D), its own layout
            NDArray ctx = FusedAttention.separate(linear(p, selfPrefix + "query", x).reshape(-1, n, heads, d),
                    linear(p, selfPrefix + "key", x).reshape(-1, n, heads, d),
                    linear(p, selfPrefix + "value", x).reshape(-1, n, heads, d),
                    FusedAttention.mask(bias, leading(s, r - 2)));
            return linear(p, outName, ctx.reshape(s));
        }
        NDArray q = splitHeads(linear(p, selfPrefix + "query", x), heads);
        NDArray k = splitHeads(linear(p, selfPrefix + "key", x), heads);
        NDArray v = splitHeads(linear(p, selfPrefix + "value", x), heads);
        return linear(p, outName, mergeHeads(attention(q, k, v, bias)));
    }

    /**
     * {@code result} moved to {@code like}'s manager. DJL gives a result the manager of its first operand, so an op
     * that starts from a parameter (a table lookup, a broadcast token) would otherwise pin its result, and the
     * whole step's graph after it, in the parameters' long-lived manager.
     */
    public static NDArray own(NDArray result, NDArray like) {
        result.attach(like.getManager());
        return result;
    }

    /** Additive padding mask {@code (B, 1, 1, N)} from a {@code (B, N)} mask of 1 (keep) and 0 (padding). */
    public static NDArray paddingBias(NDArray attentionMask, ai.djl.ndarray.types.DataType dtype) {
        Shape s = attentionMask.getShape();
        NDArray keep = attentionMask.toType(dtype, false);
        return keep.sub(1).mul(-MASKED_LOGIT).reshape(s.get(0), 1, 1, s.get(1));
    }
}
