package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;

/**
 * A plain pre-norm Vision Transformer with timm parameter names:
 * {@code patch_embed.proj}, {@code cls_token} (optional), {@code pos_embed},
 * {@code blocks.{i}.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}}, {@code norm}.
 * {@link #forward} runs the blocks and the final norm on tokens {@code (B, N, width)}; the patch and position
 * embeddings form the {@link #sourceEmbedder()}.
 */
public final class VitEncoder implements Encoder, LayoutModule {
    private final VitConfig config;
    private final ParamLayout layout;
    private final Module sourceEmbedder;

    public VitEncoder(VitConfig config) {
        this.config = config;
        int c = config.width();
        int p = config.patchSize();
        ParamLayout l = new ParamLayout();
        l.add("patch_embed.proj.weight", new Shape(c, config.inChannels(), p, p), ParamLayout.Init.TRUNC_NORMAL);
        l.add("patch_embed.proj.bias", new Shape(c), ParamLayout.Init.ZEROS);
        if (config.classToken()) {
            l.add("cls_token", new Shape(1, 1, c), ParamLayout.Init.TRUNC_NORMAL);
        }
        long tokens = (long) config.grid() * config.grid() + (config.classToken() ? 1 : 0);
        l.add("pos_embed", new Shape(1, tokens, c), ParamLayout.Init.TRUNC_NORMAL);
        for (int i = 0; i < config.depth(); i++) {
            String b = "blocks." + i + ".";
            l.layerNorm(b + "norm1", c);
            l.linear(b + "attn.qkv", c, 3L * c, true);
            l.linear(b + "attn.proj", c, c, true);
            l.layerNorm(b + "norm2", c);
            l.linear(b + "mlp.fc1", c, config.mlpHidden(), true);
            l.linear(b + "mlp.fc2", config.mlpHidden(), c, true);
        }
        l.layerNorm("norm", c);
        this.layout = l;
        this.sourceEmbedder = new PatchEmbedding(l.filter("patch_embed.", "cls_token", "pos_embed"));
    }

    public VitConfig config() {
        return config;
    }

    @Override
    public int width() {
        return config.width();
    }

    @Override
    public int outputWidth() {
        return config.width();
    }

    @Override
    public Module sourceEmbedder() {
        return sourceEmbedder;
    }

    @Override
    public ParamLayout layout() {
        return layout;
    }

    @Override
    public NDArray forward(Params params, NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != config.width()) {
            throw new InputShapeException("ViT encoder", s, "tokens (B, N, " + config.width() + ")");
        }
        double eps = config.eps();
        for (int i = 0; i < config.depth(); i++) {
            Params b = params.scope("blocks." + i + ".");
            x = x.add(Blocks.fusedSelfAttention(b, "attn.", Blocks.layerNorm(b, "norm1", x, eps), config.heads(),
                    null));
            x = x.add(Blocks.mlp(b, "mlp.fc1", "mlp.fc2", Blocks.layerNorm(b, "norm2", x, eps)));
        }
        return Blocks.layerNorm(params, "norm", x, eps);
    }

    /** Images {@code (B, C, H, W)} to tokens: patch projection, optional class token, position embedding. */
    private final class PatchEmbedding implements LayoutModule {
        private final ParamLayout layout;

        PatchEmbedding(ParamLayout layout) {
            this.layout = layout;
        }

        @Override
        public ParamLayout layout() {
            return layout;
        }

        @Override
        public NDArray forward(Params params, NDArray images) {
            Shape s = images.getShape();
            int size = config.imageSize();
            if (s.dimension() != 4 || s.get(1) != config.inChannels() || s.get(2) != size || s.get(3) != size) {
                throw new InputShapeException("ViT patch embedding", s,
                        "images (B, " + config.inChannels() + ", " + size + ", " + size + ")");
            }
            long b = s.get(0);
            NDArray tokens = Blocks.patchProjection(images, params.get("patch_embed.proj.weight"),
                    params.get("patch_embed.proj.bias"), config.patchSize());
            if (config.classToken()) {
                NDArray cls = Blocks.own(params.get("cls_token").broadcast(new Shape(b, 1, config.width())), images);
                tokens = NDArrays.concat(new ai.djl.ndarray.NDList(cls, tokens), 1);
            }
            return tokens.add(params.get("pos_embed"));
        }
    }
}
