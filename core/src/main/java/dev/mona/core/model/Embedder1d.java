package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;

/**
 * The 1-D target embedder (METHOD.md section 2, after ORCA): {@code (B, C, L)} through a conv1d with
 * kernel = stride = {@link #stack()} (the smallest divisor {@code s} of L with {@code L / s <= targetSeqLen}) to
 * the encoder width, LayerNorm, then a learned position embedding of one row per token.
 * Parameters: {@code projection.{weight,bias}}, {@code norm.{weight,bias}}, {@code position_embeddings.weight}
 * {@code (L / s, width)}; warm-started rows come from the text encoder's table from its first position id on
 * (2 for RoBERTa), see {@link WarmStart}.
 *
 * @param inChannels   target input channels C
 * @param length       target input length L
 * @param targetSeqLen most tokens wanted (a choice; {@link Architectures#DEFAULT_TARGET_SEQ_LEN})
 * @param tokenWidth   encoder width (768 for RoBERTa-base)
 * @param eps          LayerNorm epsilon (the encoder's)
 */
public record Embedder1d(int inChannels, int length, int targetSeqLen, int tokenWidth, double eps)
        implements Embedder, LayoutModule {
    public Embedder1d {
        if (inChannels <= 0 || length <= 0 || targetSeqLen <= 0 || tokenWidth <= 0) {
            throw new ModelConfigException("1-D embedder needs positive inChannels " + inChannels + ", length "
                    + length + ", targetSeqLen " + targetSeqLen + " and width " + tokenWidth);
        }
    }

    /** The stack rule: the smallest divisor {@code s} of {@code length} with {@code length / s <= target}. */
    public static int stack(int length, int target) {
        for (int s = 1; s <= length; s++) {
            if (length % s == 0 && length / s <= target) {
                return s;
            }
        }
        return length;
    }

    /** Kernel and stride of the projection. */
    public int stack() {
        return stack(length, targetSeqLen);
    }

    /** Tokens produced: {@code length / stack()}. */
    public int tokens() {
        return length / stack();
    }

    @Override
    public ParamLayout layout() {
        return new ParamLayout()
                .add("projection.weight", new Shape(tokenWidth, inChannels, stack()), ParamLayout.Init.TRUNC_NORMAL)
                .add("projection.bias", new Shape(tokenWidth), ParamLayout.Init.ZEROS)
                .layerNorm("norm", tokenWidth)
                .add("position_embeddings.weight", new Shape(tokens(), tokenWidth), ParamLayout.Init.TRUNC_NORMAL);
    }

    @Override
    public NDArray forward(Params params, NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(1) != inChannels || s.get(2) != length) {
            throw new InputShapeException("1-D embedder", s, "(B, " + inChannels + ", " + length + ")");
        }
        int k = stack();
        NDArray y = Conv1d.conv1d(x, params.get("projection.weight"), params.get("projection.bias"), new Shape(k))
                .head();
        NDArray tokens = Blocks.layerNorm(params, "norm", y.swapAxes(1, 2), eps);
        return tokens.add(params.get("position_embeddings.weight"));
    }
}
