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
     * Splits {@code (B, N, heads * d)} projections into heads: {@code (B, heads, N, d)}.
     */
    public String splitHeads(String x, int heads, int headDim) {
        return transpose(reshape(x, 0, 0, heads, headDim), 0, 2, 1, 3);
    }

    /** Joins {@code (B, heads, N, d)} back into {@code (B, N, heads * d)}. */
    public String mergeHeads(String x, int heads, int headDim) {
        return reshape(transpose(x, 0, 2, 1, 3), 0, 0, (long) heads * headDim);
    }

    /**
     * Scaled dot-product attention scores {@code q k^T / sqrt(d)}, {@code (B, h, N, N)}, before any bias/mask.
     */
    public String attentionScores(String q, String k, int headDim) {
        String kt = transpose(k, 0, 1, 3, 2);
        return g.node("Mul", g.node("MatMul", q, kt), g.scalar((float) (1.0 / Math.sqrt(headDim))));
    }

    /**
     * Multi-head self-attention of a {@code (B, N, D)} sequence with query, key, value and output projections
     * (Hugging Face layout), without masking.
     */
    public String selfAttention(String x, HostTensor wq, HostTensor bq, HostTensor wk, HostTensor bk,
                                HostTensor wv, HostTensor bv, HostTensor wo, HostTensor bo, int heads) {
        int width = (int) wq.shape()[0];
        int d = width / heads;
        String q = splitHeads(linear(x, wq, bq), heads, d);
        String k = splitHeads(linear(x, wk, bk), heads, d);
        String v = splitHeads(linear(x, wv, bv), heads, d);
        String probs = softmax(attentionScores(q, k, d));
        return linear(mergeHeads(g.node("MatMul", probs, v), heads, d), wo, bo);
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
        String y = x;
        if (h != outH) {
            y = g.node("MatMul", g.floats("rows", ah, outH, h), y); // (outH, H) @ (B, C, H, W)
        }
        if (w != outW) {
            y = g.node("MatMul", y, g.floats("cols", InterpolationMatrices.transpose(aw, outW, w), w, outW));
        }
        return y;
    }
}
