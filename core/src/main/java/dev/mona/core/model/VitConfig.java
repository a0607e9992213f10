package dev.mona.core.model;

/**
 * A plain Vision Transformer (timm {@code VisionTransformer} naming) for the small encoders the project
 * pretrains itself.
 *
 * @param imageSize   side of the square input image the source embedder expects
 * @param patchSize   side of a patch (kernel = stride of {@code patch_embed.proj})
 * @param inChannels  channels of the source images
 * @param width       token width (embed_dim)
 * @param depth       number of transformer blocks
 * @param heads       attention heads (must divide {@code width})
 * @param mlpHidden   hidden width of each block's MLP ({@code mlp_ratio * width})
 * @param classToken  whether the source embedder prepends a learned {@code cls_token}
 * @param eps         LayerNorm epsilon (timm: 1e-6)
 */
public record VitConfig(int imageSize, int patchSize, int inChannels, int width, int depth, int heads,
                        int mlpHidden, boolean classToken, double eps) implements EncoderConfig {
    public VitConfig {
        if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
            throw new ModelConfigException("ViT imageSize " + imageSize + " must be a positive multiple of patchSize "
                    + patchSize);
        }
        if (heads <= 0 || width <= 0 || width % heads != 0) {
            throw new ModelConfigException("ViT width " + width + " must be a positive multiple of heads " + heads);
        }
        if (depth < 0 || inChannels <= 0 || mlpHidden <= 0 || !(eps > 0)) {
            throw new ModelConfigException("ViT depth " + depth + ", inChannels " + inChannels + ", mlpHidden "
                    + mlpHidden + " and eps " + eps + " must be positive");
        }
    }

    /** The ViT-Tiny benchmark size: 32 x 32 RGB, patch 4 (64 tokens), width 192, depth 4, 3 heads, MLP 4x. */
    public static VitConfig vitTiny() {
        return new VitConfig(32, 4, 3, 192, 4, 3, 768, false, 1e-6);
    }

    /** A very small ViT for tests: 8 x 8 input, patch 4 (4 tokens + cls), width 8, depth 2, 2 heads. */
    public static VitConfig test() {
        return new VitConfig(8, 4, 2, 8, 2, 2, 16, true, 1e-6);
    }

    /** Patches per side of the source image. */
    public int grid() {
        return imageSize / patchSize;
    }

    @Override
    public VitEncoder build() {
        return new VitEncoder(this);
    }

    @Override
    public int patchSize2d() {
        return patchSize;
    }

    @Override
    public int inputSize2d() {
        return imageSize;
    }
}
