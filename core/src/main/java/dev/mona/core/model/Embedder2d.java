package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The 2-D target embedder (METHOD.md section 2, after ORCA): bilinear resize of {@code (B, C, H, W)} to the
 * encoder's input size (PyTorch's non-antialiased default), a patch projection with kernel = stride =
 * {@code patchSize} to the encoder width, flatten to tokens, LayerNorm. ORCA's (in front of Swin, whose blocks
 * carry relative position biases) has no position embedding; in front of an encoder whose blocks have no position
 * information of their own (a ViT) {@code positionEmbedding} adds a learned table of one row per token after the
 * LayerNorm, warm-started from the encoder's ({@link WarmStart}).
 * Parameters: {@code projection.{weight,bias}}, {@code norm.{weight,bias}} and, with {@code positionEmbedding},
 * {@code position_embeddings.weight} {@code (tokens, width)}.
 *
 * @param inChannels target input channels C
 * @param height     target input height H
 * @param width      target input width W
 * @param resizeTo   side of the square image the encoder expects (224 for Swin-B)
 * @param patchSize  kernel and stride of the projection (the encoder's patch size, 4 for Swin-B)
 * @param tokenWidth encoder width (128 for Swin-B)
 * @param eps        LayerNorm epsilon (the encoder's)
 * @param positionEmbedding whether a learned position table is added to the tokens
 */
public record Embedder2d(int inChannels, int height, int width, int resizeTo, int patchSize, int tokenWidth,
                         double eps, boolean positionEmbedding) implements Embedder, LayoutModule {
    public Embedder2d {
        if (inChannels <= 0 || height <= 0 || width <= 0 || tokenWidth <= 0 || patchSize <= 0
                || resizeTo <= 0 || resizeTo % patchSize != 0) {
            throw new ModelConfigException("2-D embedder needs positive sizes and resizeTo " + resizeTo
                    + " a multiple of patchSize " + patchSize + " (input " + inChannels + " x " + height + " x "
                    + width + ", width " + tokenWidth + ")");
        }
    }

    /** ORCA's embedder, without a position table. */
    public Embedder2d(int inChannels, int height, int width, int resizeTo, int patchSize, int tokenWidth,
                      double eps) {
        this(inChannels, height, width, resizeTo, patchSize, tokenWidth, eps, false);
    }

    /** Tokens per side: {@code resizeTo / patchSize}. */
    public int grid() {
        return resizeTo / patchSize;
    }

    /** Tokens produced: {@code grid()^2}. */
    public int tokens() {
        return grid() * grid();
    }

    /** trunc-normal(0.02) projection and positions, zero bias, identity LayerNorm (no warm start). */
    @Override
    public ParamLayout layout() {
        ParamLayout l = new ParamLayout()
                .add("projection.weight", new Shape(tokenWidth, inChannels, patchSize, patchSize),
                        ParamLayout.Init.TRUNC_NORMAL)
                .add("projection.bias", new Shape(tokenWidth), ParamLayout.Init.ZEROS)
                .layerNorm("norm", tokenWidth);
        return positionEmbedding
                ? l.add("position_embeddings.weight", new Shape(tokens(), tokenWidth), ParamLayout.Init.TRUNC_NORMAL)
                : l;
    }

    @Override
    public NDArray forward(Params params, NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != inChannels || s.get(2) != height || s.get(3) != width) {
            throw new InputShapeException("2-D embedder", s,
                    "(B, " + inChannels + ", " + height + ", " + width + ")");
        }
        NDArray resized = Resampling.resizeBilinear(x, resizeTo, resizeTo);
        NDArray tokens = Blocks.layerNorm(params, "norm", Blocks.patchProjection(resized,
                params.get("projection.weight"), params.get("projection.bias"), patchSize), eps);
        return positionEmbedding ? tokens.add(params.get("position_embeddings.weight")) : tokens;
    }
}
