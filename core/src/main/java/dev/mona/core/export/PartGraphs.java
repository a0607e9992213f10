package dev.mona.core.export;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.ClassificationPredictor;
import dev.mona.core.model.DensePredictor1d;
import dev.mona.core.model.DensePredictor2d;
import dev.mona.core.model.Embedder1d;
import dev.mona.core.model.Embedder2d;
import dev.mona.core.model.Params;

/**
 * The target embedders {@code e_phi} and predictors {@code h_psi} as ONNX subgraphs, each following its DJL
 * forward step by step.
 */
final class PartGraphs {
    private PartGraphs() {}

    private static HostTensor w(Params p, String name) {
        return Weights.of(p, name);
    }

    /** Bilinear resize to the encoder's input size, patch projection, flatten to tokens, LayerNorm, positions. */
    static Value embedder2d(OnnxLayers l, Embedder2d e, Params p, Value x) {
        String resized = l.resizeBilinear(x.name(), e.height(), e.width(), e.resizeTo(), e.resizeTo());
        String y = l.patchConv(resized, w(p, "projection.weight"), w(p, "projection.bias"), e.patchSize());
        // (B, width, g, g) -> (B, width, g*g) -> (B, g*g, width)
        String tokens = l.transpose(l.reshape(y, 0, e.tokenWidth(), -1), 0, 2, 1);
        String out = l.layerNorm(tokens, w(p, "norm.weight"), w(p, "norm.bias"), (float) e.eps());
        if (e.positionEmbedding()) {
            HostTensor pos = w(p, "position_embeddings.weight");
            out = l.graph().node("Add", out, l.graph().floats("position_embeddings", pos.data(), pos.shape()));
        }
        return new Value(out, new long[] {e.tokens(), e.tokenWidth()});
    }

    /** Conv1d with kernel = stride = stack, LayerNorm, plus the learned position embedding. */
    static Value embedder1d(OnnxLayers l, Embedder1d e, Params p, Value x) {
        String y = l.patchConv(x.name(), w(p, "projection.weight"), w(p, "projection.bias"), e.stack());
        String tokens = l.layerNorm(l.transpose(y, 0, 2, 1), w(p, "norm.weight"), w(p, "norm.bias"), (float) e.eps());
        HostTensor pos = w(p, "position_embeddings.weight");
        String out = l.graph().node("Add", tokens, l.graph().floats("position_embeddings", pos.data(), pos.shape()));
        return new Value(out, new long[] {e.tokens(), e.tokenWidth()});
    }

    /** Mean over tokens, then the classifier. */
    static Value classification(OnnxLayers l, ClassificationPredictor c, Params p, Value tokens) {
        String y = l.linear(l.meanTokens(tokens.name()), w(p, "classifier.weight"), w(p, "classifier.bias"));
        return new Value(y, new long[] {c.classes()});
    }

    /**
     * Per-token linear, pixel shuffle to {@code (c0, g*r, g*r)}, adaptive pooling over channels (one MatMul) and
     * over space (two MatMuls) to {@code (C_out, H, W)}.
     */
    static Value dense2d(OnnxLayers l, DensePredictor2d d, Params p, Value tokens) {
        int g = d.grid();
        int r = d.shuffle();
        int c0 = d.shuffleChannels();
        int side = g * r;
        String f = l.linear(tokens.name(), w(p, "linear.weight"), w(p, "linear.bias"));
        // torch.nn.PixelShuffle: (B, h, w, c, i, j) -> (B, c, h, i, w, j)
        String image = l.reshape(l.transpose(l.reshape(f, 0, g, g, c0, r, r), 0, 3, 1, 4, 2, 5),
                0, c0, (long) side * side);
        if (c0 != d.outChannels()) {
            float[] pool = InterpolationMatrices.adaptiveAverage(c0, d.outChannels());
            image = l.graph().node("MatMul", l.graph().floats("channel_pool", pool, d.outChannels(), c0), image);
        }
        String planes = l.reshape(image, 0, d.outChannels(), side, side);
        String out = l.adaptiveAvgPool2d(planes, side, side, d.outHeight(), d.outWidth());
        return new Value(out, new long[] {d.outChannels(), d.outHeight(), d.outWidth()});
    }

    /** Adaptive pooling of each token's features to {@code C_out * s}, laid side by side as {@code (C_out, L)}. */
    static Value dense1d(OnnxLayers l, DensePredictor1d d, Params p, Value tokens) {
        int s = d.stack();
        int n = d.length() / s;
        int values = d.outChannels() * s;
        String pooled = values == d.width() ? tokens.name() : l.adaptiveAvgPoolLast(tokens.name(), d.width(), values);
        String out = l.reshape(l.transpose(l.reshape(pooled, 0, n, d.outChannels(), s), 0, 2, 1, 3),
                0, d.outChannels(), d.length());
        return new Value(out, new long[] {d.outChannels(), d.length()});
    }
}
