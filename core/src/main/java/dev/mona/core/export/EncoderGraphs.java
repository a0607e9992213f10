package dev.mona.core.export;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.BertEncoder;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.SwinEncoder;
import dev.mona.core.model.VitConfig;
import dev.mona.core.model.VitEncoder;

import java.util.Arrays;

/**
 * The pretrained encoders {@code f_theta} as ONNX subgraphs, one method per architecture, each following its DJL
 * forward step by step: tokens {@code (B, N, width)} in, tokens after the final LayerNorm out.
 */
final class EncoderGraphs {
    private EncoderGraphs() {}

    private static HostTensor w(Params p, String name) {
        return Weights.of(p, name);
    }

    private static String linear(OnnxLayers l, Params p, String name, String x) {
        return l.linear(x, w(p, name + ".weight"), p.has(name + ".bias") ? w(p, name + ".bias") : null);
    }

    private static String layerNorm(OnnxLayers l, Params p, String name, String x, double eps) {
        return l.layerNorm(x, w(p, name + ".weight"), w(p, name + ".bias"), (float) eps);
    }

    private static String add(OnnxLayers l, String a, String b) {
        return l.graph().node("Add", a, b);
    }

    /** timm ViT blocks (pre-norm, fused qkv) and the final norm. */
    static Value vit(OnnxLayers l, VitEncoder encoder, Params p, Value tokens) {
        VitConfig c = encoder.config();
        int width = c.width();
        String x = tokens.name();
        for (int i = 0; i < c.depth(); i++) {
            Params b = p.scope("blocks." + i + ".");
            // the fused (3C, C) projection split into query, key and value rows: the same products
            HostTensor qkvW = w(b, "attn.qkv.weight");
            HostTensor qkvB = w(b, "attn.qkv.bias");
            HostTensor[] ws = new HostTensor[3];
            HostTensor[] bs = new HostTensor[3];
            for (int k = 0; k < 3; k++) {
                ws[k] = new HostTensor(Arrays.copyOfRange(qkvW.data(), k * width * width, (k + 1) * width * width),
                        new long[] {width, width});
                bs[k] = new HostTensor(Arrays.copyOfRange(qkvB.data(), k * width, (k + 1) * width), new long[] {width});
            }
            String h = layerNorm(l, b, "norm1", x, c.eps());
            String a = l.selfAttention(h, 3, ws[0], bs[0], ws[1], bs[1], ws[2], bs[2],
                    w(b, "attn.proj.weight"), w(b, "attn.proj.bias"), c.heads(), null);
            x = add(l, x, a);
            String f = linear(l, b, "mlp.fc2", l.gelu(linear(l, b, "mlp.fc1", layerNorm(l, b, "norm2", x, c.eps()))));
            x = add(l, x, f);
        }
        return new Value(layerNorm(l, p, "norm", x, c.eps()), tokens.dims());
    }

    /**
     * Hugging Face Swin: per stage, (shifted) window attention as a fixed token permutation (Gather), relative
     * position bias plus shift mask as one constant per block, MLP, then patch merging; the final LayerNorm.
     */
    static Value swin(OnnxLayers l, SwinEncoder encoder, Params p, Value tokens) {
        SwinConfig c = encoder.config();
        String x = tokens.name();
        long n = tokens.dim(0);
        for (int i = 0; i < c.stages(); i++) {
            int res = c.resolution(i);
            int win = c.effectiveWindow(i);
            int heads = c.heads().get(i);
            int width = c.stageWidth(i);
            long[] index = SwinGeometry.relativePositionIndex(win, c.windowSize());
            for (int j = 0; j < c.depths().get(i); j++) {
                Params b = p.scope("encoder.layers." + i + ".blocks." + j + ".");
                int shift = c.shift(i, j);
                x = swinBlock(l, b, x, c, res, win, shift, heads, width, index);
            }
            if (i < c.stages() - 1) {
                Params d = p.scope("encoder.layers." + i + ".downsample.");
                long r2 = res / 2;
                // HF order x0 (0::2, 0::2), x1 (1::2, 0::2), x2 (0::2, 1::2), x3 (1::2, 1::2): (column bit, row bit)
                String merged = l.reshape(l.transpose(l.reshape(x, 0, r2, 2, r2, 2, width), 0, 1, 3, 4, 2, 5),
                        0, r2 * r2, 4L * width);
                x = linear(l, d, "reduction", layerNorm(l, d, "norm", merged, c.eps()));
                n = r2 * r2;
            }
        }
        return new Value(layerNorm(l, p, "layernorm", x, c.eps()), new long[] {n, c.outputWidth()});
    }

    /** Post-LayerNorm BERT / RoBERTa layers (no padding mask: exported inputs are fixed-length signals). */
    static Value bert(OnnxLayers l, BertEncoder encoder, Params p, Value tokens) {
        BertConfig c = encoder.config();
        String x = tokens.name();
        for (int i = 0; i < c.layers(); i++) {
            Params b = p.scope("encoder.layer." + i + ".");
            String a = l.selfAttention(x, 3, w(b, "attention.self.query.weight"), w(b, "attention.self.query.bias"),
                    w(b, "attention.self.key.weight"), w(b, "attention.self.key.bias"),
                    w(b, "attention.self.value.weight"), w(b, "attention.self.value.bias"),
                    w(b, "attention.output.dense.weight"), w(b, "attention.output.dense.bias"), c.heads(), null);
            x = layerNorm(l, b, "attention.output.LayerNorm", add(l, a, x), c.eps());
            String f = linear(l, b, "output.dense", l.gelu(linear(l, b, "intermediate.dense", x)));
            x = layerNorm(l, b, "output.LayerNorm", add(l, f, x), c.eps());
        }
        return new Value(x, tokens.dims());
    }

    private static String swinBlock(OnnxLayers l, Params b, String x, SwinConfig c, int res, int win, int shift,
                                    int heads, int width, long[] index) {
        int n = win * win;
        int nW = (res / win) * (res / win);
        long[] order = SwinGeometry.windowOrder(res, win, shift);
        boolean identity = SwinGeometry.isIdentity(order);
        String h = layerNorm(l, b, "layernorm_before", x, c.eps());
        if (!identity) {
            h = l.gather(h, 1, order);
        }
        String bias = l.graph().floats("window_bias",
                SwinGeometry.windowBias(w(b, "attention.self.relative_position_bias_table"), index, win, heads,
                        shift > 0 ? SwinGeometry.shiftMask(res, win, shift) : null, nW),
                shift > 0 ? new long[] {nW, heads, n, n} : new long[] {heads, n, n});
        String att = l.selfAttention(l.reshape(h, 0, nW, n, width), 4,
                w(b, "attention.self.query.weight"), w(b, "attention.self.query.bias"),
                w(b, "attention.self.key.weight"), w(b, "attention.self.key.bias"),
                w(b, "attention.self.value.weight"), w(b, "attention.self.value.bias"),
                w(b, "attention.output.dense.weight"), w(b, "attention.output.dense.bias"), heads, bias);
        att = l.reshape(att, 0, (long) res * res, width);
        if (!identity) {
            att = l.gather(att, 1, SwinGeometry.inverse(order));
        }
        x = add(l, x, att);
        String f = linear(l, b, "output.dense", l.gelu(linear(l, b, "intermediate.dense",
                layerNorm(l, b, "layernorm_after", x, c.eps()))));
        return add(l, x, f);
    }
}
