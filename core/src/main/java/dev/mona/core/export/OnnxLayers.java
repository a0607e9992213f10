package dev.mona.core.export;

import dev.mona.core.data.HostTensor;

import static dev.mona.core.export.OnnxGraph.attrs;

/**
 * Transformer building blocks as ONNX subgraphs, each the exact counterpart of an operation of the DJL models:
 * weights arrive as host tensors in PyTorch layout (a Linear weight is {@code (out, in)}) and are written as
 * initializers of the graph.
 */
public final class OnnxLayers {
    private final OnnxGraph g;

    public OnnxLayers(OnnxGraph graph) {
        this.g = graph;
    }

    public OnnxGraph graph() {
        return g;
    }

    /** {@code x W^T + b} over the last axis; {@code bias} may be null. */
    public String linear(String x, HostTensor weight, HostTensor bias) {
        int out = (int) weight.shape()[0];
        int in = (int) weight.shape()[1];
        // MatMul wants (in, out): transpose once here instead of a Transpose node per call
        String w = g.floats("weight", InterpolationMatrices.transpose(weight.data(), out, in), in, out);
        String y = g.node("MatMul", x, w);
        return bias == null ? y : g.node("Add", y, g.floats("bias", bias.data(), out));
    }

    /** LayerNormalization over the last axis (opset 17). */
    public String layerNorm(String x, HostTensor gamma, HostTensor beta, float eps) {
        long n = gamma.shape()[0];
        return g.node("LayerNormalization", attrs("axis", -1L, "epsilon", eps),
                x, g.floats("ln_scale", gamma.data(), n), g.floats("ln_bias", beta.data(), n));
    }

    /** GELU in its exact erf form, {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    public String gelu(String x) {
        String e = g.node("Erf", g.node("Div", x, g.scalar((float) Math.sqrt(2.0))));
        return g.node("Mul", g.node("Mul", x, g.node("Add", e, g.scalar(1f))), g.scalar(0.5f));
    }

    /** Convolution with kernel = stride (a patch projection); 1-D or 2-D by the weight's rank. */
    public String patchConv(String x, HostTensor weight, HostTensor bias, int stride) {
        long[] ws = weight.shape();
        int spatial = ws.length - 2;
        long[] kernel = new long[spatial];
        long[] strides = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            kernel[i] = ws[2 + i];
            strides[i] = stride;
        }
        String w = g.floats("conv_weight", weight.data(), ws);
        if (bias == null) {
            return g.node("Conv", attrs("kernel_shape", kernel, "strides", strides), x, w);
        }
        return g.node("Conv", attrs("kernel_shape", kernel, "strides", strides), x, w,
                g.floats("conv_bias", bias.data(), ws[0]));
    }

    /** Reshape; 0 copies the input's dimension (the dynamic batch), -1 is inferred. */
    public String reshape(String x, long... shape) {
        return g.node("Reshape", x, g.int64s(shape));
    }

    public String transpose(String x, long... perm) {
        return g.node("Transpose", attrs("perm", perm), x);
    }

    /** Mean over the token axis 1: {@code (B, N, D) -> (B, D)}. */
    public String meanTokens(String x) {
        return g.node("ReduceMean", attrs("axes", new long[] {1}, "keepdims", 0L), x);
    }

    /** Softmax over the last axis. */
    public String softmax(String x) {
        return g.node("Softmax", attrs("axis", -1L), x);
    }

    /**
     * Splits projections {@code (..., N, heads * d)} of the given rank into heads: {@code (..., heads, N, d)}.
     */
    public String splitHeads(String x, int rank, int heads, int headDim) {
        long[] shape = new long[rank + 1];
        shape[rank - 1] = heads;
        shape[rank] = headDim;
        return transpose(reshape(x, shape), swapLastButOne(rank + 1));
    }

    /** Joins {@code (..., heads, N, d)} (rank {@code rank + 1}) back into {@code (..., N, heads * d)}. */
    public String mergeHeads(String x, int rank, int heads, int headDim) {
        long[] shape = new long[rank];
        shape[rank - 1] = (long) heads * headDim;
        return reshape(transpose(x, swapLastButOne(rank + 1)), shape);
    }

    /** The permutation of {@code rank} axes that swaps axes {@code rank-3} and {@code rank-2}. */
    private static long[] swapLastButOne(int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 3] = rank - 2;
        perm[rank - 2] = rank - 3;
        return perm;
    }

    /**
     * Scaled dot-product attention on head-split {@code (..., H, N, d)} inputs of rank {@code rank}:
     * {@code softmax((q / sqrt d) k^T + bias) v}, with {@code bias} (nullable) broadcast to the logits. The query
     * is scaled before the product, as in the DJL models, so both round alike.
     */
    public String attend(String q, String k, String v, int rank, int headDim, String bias) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        String scaled = g.node("Mul", q, g.scalar((float) (1.0 / Math.sqrt(headDim))));
        String logits = g.node("MatMul", scaled, transpose(k, perm));
        if (bias != null) {
            logits = g.node("Add", logits, bias);
        }
        return g.node("MatMul", softmax(logits), v);
    }

    /**
     * Multi-head self-attention of a {@code (B, N, D)} sequence with query, key, value and output projections
     * (Hugging Face layout), without masking.
     */
    public String selfAttention(String x, HostTensor wq, HostTensor bq, HostTensor wk, HostTensor bk,
                                HostTensor wv, HostTensor bv, HostTensor wo, HostTensor bo, int heads) {
        return selfAttention(x, 3, wq, bq, wk, bk, wv, bv, wo, bo, heads, null);
    }

    /**
     * Multi-head self-attention over the second-to-last axis of {@code x} (rank {@code rank}, e.g.
     * {@code (B, windows, N, D)} for windowed attention), with an additive logit {@code bias} (nullable) that
     * broadcasts to {@code (..., heads, N, N)}.
     */
    public String selfAttention(String x, int rank, HostTensor wq, HostTensor bq, HostTensor wk, HostTensor bk,
                                HostTensor wv, HostTensor bv, HostTensor wo, HostTensor bo, int heads, String bias) {
        int width = (int) wq.shape()[0];
        int d = width / heads;
        String q = splitHeads(linear(x, wq, bq), rank, heads, d);
        String k = splitHeads(linear(x, wk, bk), rank, heads, d);
        String v = splitHeads(linear(x, wv, bv), rank, heads, d);
        return linear(mergeHeads(attend(q, k, v, rank + 1, d, bias), rank, heads, d), wo, bo);
    }

    /** Gathers positions {@code indices} of axis {@code axis} (a fixed token permutation). */
    public String gather(String x, int axis, long[] indices) {
        String idx = g.int64s(indices);
        return g.node("Gather", OnnxGraph.attrs("axis", (long) axis), x, idx);
    }

    /**
     * Bilinear resize of the last two axes of {@code (B, C, H, W)} to {@code (outH, outW)} as two MatMuls with
     * the matrices of {@link InterpolationMatrices#bilinear}.
     */
    public String resizeBilinear(String x, int h, int w, int outH, int outW) {
        return separable(x, InterpolationMatrices.bilinear(h, outH), h, outH,
                InterpolationMatrices.bilinear(w, outW), w, outW);
    }

    /** Adaptive average pooling of the last two axes of {@code (B, C, H, W)} to {@code (outH, outW)}. */
    public String adaptiveAvgPool2d(String x, int h, int w, int outH, int outW) {
        return separable(x, InterpolationMatrices.adaptiveAverage(h, outH), h, outH,
                InterpolationMatrices.adaptiveAverage(w, outW), w, outW);
    }

    /**
     * Adaptive average pooling of the last axis of any tensor to {@code out} values: one MatMul with the
     * transposed pooling matrix.
     */
    public String adaptiveAvgPoolLast(String x, int in, int out) {
        float[] pt = InterpolationMatrices.transpose(InterpolationMatrices.adaptiveAverage(in, out), out, in);
        return g.node("MatMul", x, g.floats("pool", pt, in, out));
    }

    private String separable(String x, float[] ah, int h, int outH, float[] aw, int w, int outW) {
        // columns first, then rows: the order of the DJL models, so both round alike
        String y = x;
        if (w != outW) {
            y = g.node("MatMul", y, g.floats("cols", InterpolationMatrices.transpose(aw, outW, w), w, outW));
        }
        if (h != outH) {
            y = g.node("MatMul", g.floats("rows", ah, outH, h), y); // (outH, H) @ (B, C, H, W)
        }
        return y;
    }
}
