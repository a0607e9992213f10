package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Swin Transformer with Hugging Face {@code SwinModel} parameter names. Local names omit the {@code swin.}
 * prefix that {@code SwinForImageClassification} checkpoints carry ({@link SwinConfig#CHECKPOINT_PREFIX}):
 * <ul>
 * <li>{@code embeddings.patch_embeddings.projection}, {@code embeddings.norm} (the {@link #sourceEmbedder()}, which
 * takes square source images of any size and resizes them bilinearly to {@code imageSize});</li>
 * <li>{@code encoder.layers.{i}.blocks.{j}.}{@code layernorm_before}, {@code attention.self.{query,key,value}},
 * {@code attention.self.relative_position_bias_table}, {@code attention.output.dense}, {@code layernorm_after},
 * {@code intermediate.dense}, {@code output.dense};</li>
 * <li>{@code encoder.layers.{i}.downsample.{norm,reduction}} (patch merging, all stages but the last);</li>
 * <li>{@code layernorm} (final).</li>
 * </ul>
 * {@code relative_position_index} is computed, not a parameter: checkpoints hold it as a buffer, and loaders
 * should skip names for which {@link #isComputedBuffer} is true.
 * <p>
 * Windows and shifted windows are one token permutation each: the cyclic roll by {@code -shift} followed by the
 * window partition is a fixed reordering of the {@code H*W} tokens, applied with one index op (and its inverse
 * after attention). Masked logits get {@code -100}, as in Hugging Face.
 */
public final class SwinEncoder implements Encoder, LayoutModule {
    /** Logit added between tokens of different regions in a shifted window (Hugging Face's value). */
    public static final double SHIFT_MASK_LOGIT = -100.0;
    static final String PATCH_PROJECTION = "embeddings.patch_embeddings.projection";
    static final String PATCH_NORM = "embeddings.norm";

    private final SwinConfig config;
    private final ParamLayout layout;
    private final Module sourceEmbedder;

    public SwinEncoder(SwinConfig config) {
        this.config = config;
        int p = config.patchSize();
        ParamLayout l = new ParamLayout();
        l.add(PATCH_PROJECTION + ".weight", new Shape(config.embedDim(), config.inChannels(), p, p),
                ParamLayout.Init.TRUNC_NORMAL);
        l.add(PATCH_PROJECTION + ".bias", new Shape(config.embedDim()), ParamLayout.Init.ZEROS);
        l.layerNorm(PATCH_NORM, config.embedDim());
        for (int i = 0; i < config.stages(); i++) {
            int c = config.stageWidth(i);
            int w = config.windowSize();
            int hidden = (int) Math.round(config.mlpRatio() * c);
            for (int j = 0; j < config.depths().get(i); j++) {
                String b = "encoder.layers." + i + ".blocks." + j + ".";
                l.layerNorm(b + "layernorm_before", c);
                // HF sizes the table by the configured window even where a stage uses a smaller one
                l.add(b + "attention.self.relative_position_bias_table",
                        new Shape((2L * w - 1) * (2L * w - 1), config.heads().get(i)), ParamLayout.Init.TRUNC_NORMAL);
                l.linear(b + "attention.self.query", c, c, true);
                l.linear(b + "attention.self.key", c, c, true);
                l.linear(b + "attention.self.value", c, c, true);
                l.linear(b + "attention.output.dense", c, c, true);
                l.layerNorm(b + "layernorm_after", c);
                l.linear(b + "intermediate.dense", c, hidden, true);
                l.linear(b + "output.dense", hidden, c, true);
            }
            if (i < config.stages() - 1) {
                String d = "encoder.layers." + i + ".downsample.";
                l.linear(d + "reduction", 4L * c, 2L * c, false);
                l.layerNorm(d + "norm", 4L * c);
            }
        }
        l.layerNorm("layernorm", config.outputWidth());
        this.layout = l;
        this.sourceEmbedder = new PatchEmbedding(l.filter("embeddings."));
    }

    /** True for checkpoint names that hold buffers this encoder recomputes ({@code relative_position_index}). */
    public static boolean isComputedBuffer(String name) {
        return name.endsWith("relative_position_index");
    }

    public SwinConfig config() {
        return config;
    }

    @Override
    public int width() {
        return config.embedDim();
    }

    @Override
    public int outputWidth() {
        return config.outputWidth();
    }

    @Override
    public Module sourceEmbedder() {
        return sourceEmbedder;
    }

    @Override
    public ParamLayout layout() {
        return layout;
    }

    /** Tokens {@code (B, (imageSize/patchSize)^2, embedDim)} to {@code (B, N_last, outputWidth)}. */
    @Override
    public NDArray forward(Params params, NDArray x) {
        Shape s = x.getShape();
        long n0 = (long) config.resolution(0) * config.resolution(0);
        if (s.dimension() != 3 || s.get(1) != n0 || s.get(2) != config.embedDim()) {
            throw new InputShapeException("Swin encoder", s, "tokens (B, " + n0 + ", " + config.embedDim() + ")");
        }
        NDManager m = x.getManager();
        DataType dtype = x.getDataType();
        long batch = s.get(0);
        for (int i = 0; i < config.stages(); i++) {
            int res = config.resolution(i);
            int w = config.effectiveWindow(i);
            int heads = config.heads().get(i);
            NDArray index = m.create(relativePositionIndex(w, config.windowSize()));
            StageGeometry plain = geometry(m, dtype, res, w, 0);
            StageGeometry shifted = config.depths().get(i) > 1 && res > config.windowSize()
                    ? geometry(m, dtype, res, w, config.windowSize() / 2) : null;
            for (int j = 0; j < config.depths().get(i); j++) {
                Params b = params.scope("encoder.layers." + i + ".blocks." + j + ".");
                StageGeometry g = config.shift(i, j) > 0 ? shifted : plain;
                x = block(b, x, batch, res, w, heads, g, windowBias(b, index, w, heads, g));
            }
            if (i < config.stages() - 1) {
                x = patchMerging(params.scope("encoder.layers." + i + ".downsample."), x, res, config.eps());
            }
        }
        return Blocks.layerNorm(params, "layernorm", x, config.eps());
    }

    /** Relative position bias {@code (H, N, N)}, plus the shift mask as {@code (nW, H, N, N)} when shifted. */
    static NDArray windowBias(Params b, NDArray index, int w, int heads, StageGeometry g) {
        long n = (long) w * w;
        // (T, H) gathered to (N*N, H) -> (H, N, N)
        NDArray bias = Blocks.own(b.get("attention.self.relative_position_bias_table").get(index), index)
                .reshape(n, n, heads).transpose(2, 0, 1);
        return g.mask == null ? bias : bias.expandDims(0).add(g.mask);
    }

    /** Block {@code j} of stage {@code i} on its own (geometry built here; for tests). */
    NDArray block(Params blockParams, NDArray x, int i, int j) {
        int res = config.resolution(i);
        int w = config.effectiveWindow(i);
        StageGeometry g = geometry(x.getManager(), x.getDataType(), res, w, config.shift(i, j));
        NDArray index = x.getManager().create(relativePositionIndex(w, config.windowSize()));
        return block(blockParams, x, x.getShape().get(0), res, w, config.heads().get(i), g,
                windowBias(blockParams, index, w, config.heads().get(i), g));
    }

    private NDArray block(Params b, NDArray x, long batch, int res, int w, int heads, StageGeometry g, NDArray bias) {
        long c = x.getShape().get(2);
        long nW = (long) (res / w) * (res / w);
        NDArray h = Blocks.layerNorm(b, "layernorm_before", x, config.eps());
        if (g.order != null) {
            h = h.get(ALL_TOKENS, g.order);
        }
        NDArray att = Blocks.selfAttention(b, "attention.self.", "attention.output.dense",
                h.reshape(batch, nW, (long) w * w, c), heads, bias).reshape(batch, (long) res * res, c);
        if (g.inverse != null) {
            att = att.get(ALL_TOKENS, g.inverse);
        }
        x = x.add(att);
        NDArray f = Blocks.mlp(b, "intermediate.dense", "output.dense",
                Blocks.layerNorm(b, "layernorm_after", x, config.eps()));
        return x.add(f);
    }

    private static final String ALL_TOKENS = ":, {}";

    /**
     * Hugging Face's patch merging: the 2 x 2 neighbours {@code x0 = (0::2, 0::2)}, {@code x1 = (1::2, 0::2)},
     * {@code x2 = (0::2, 1::2)}, {@code x3 = (1::2, 1::2)} (row, column) concatenated on the feature axis, then
     * {@code norm} and the bias-free {@code reduction} to twice the width.
     */
    static NDArray patchMerging(Params p, NDArray x, int res, double eps) {
        return Blocks.linear(p, "reduction", Blocks.layerNorm(p, "norm", mergeNeighbours(x, res), eps));
    }

    /** {@code (B, res*res, C)} to {@code (B, res*res/4, 4C)} in Hugging Face's order x0, x1, x2, x3. */
    static NDArray mergeNeighbours(NDArray x, int res) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(2);
        long r2 = res / 2;
        // (B, h, a, w, b2, C) with row = 2h + a, column = 2w + b2; x_k has k = a + 2 * b2 -> order (b2, a)
        return x.reshape(b, r2, 2, r2, 2, c).transpose(0, 1, 3, 4, 2, 5).reshape(b, r2 * r2, 4 * c);
    }

    /**
     * Hugging Face's {@code relative_position_index} for a {@code w x w} window, flattened {@code (w^2 * w^2)}:
     * {@code (dh + T - 1) * (2T - 1) + (dw + T - 1)} with {@code (dh, dw)} = query minus key coordinates and
     * {@code T = tableWindow} the window the bias table was built for. {@code T = w} everywhere in the Hugging Face
     * configurations; a stage with a smaller window (one window over a small stage) reads the entries of the same
     * relative offsets, where Hugging Face would fail on mismatched shapes.
     */
    public static long[] relativePositionIndex(int w, int tableWindow) {
        int n = w * w;
        int t = tableWindow;
        long[] idx = new long[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int dh = a / w - b / w + t - 1;
                int dw = a % w - b % w + t - 1;
                idx[a * n + b] = (long) dh * (2 * t - 1) + dw;
            }
        }
        return idx;
    }

    /** Token order into windows, its inverse, and the shifted-window mask. */
    record StageGeometry(NDArray order, NDArray inverse, NDArray mask) {}

    static StageGeometry geometry(NDManager m, DataType dtype, int res, int w, int shift) {
        HostGeometry h = HOST_GEOMETRY.computeIfAbsent(List.of(res, w, shift), k -> hostGeometry(res, w, shift));
        NDArray mask = h.mask == null ? null : ParamLayout.fromDoubles(m, h.mask,
                new Shape((long) (res / w) * (res / w), 1, (long) w * w, (long) w * w), dtype);
        return h.order == null ? new StageGeometry(null, null, mask)
                : new StageGeometry(m.create(h.order), m.create(h.inverse), mask);
    }

    /** Host-side geometry, computed once per (resolution, window, shift): order and inverse null when identity. */
    private record HostGeometry(long[] order, long[] inverse, double[] mask) {}

    private static final Map<List<Integer>, HostGeometry> HOST_GEOMETRY = new ConcurrentHashMap<>();

    private static HostGeometry hostGeometry(int res, int w, int shift) {
        long[] order = windowOrder(res, w, shift);
        boolean identity = true;
        long[] inverse = new long[order.length];
        for (int k = 0; k < order.length; k++) {
            inverse[(int) order[k]] = k;
            identity &= order[k] == k;
        }
        double[] mask = shift > 0 ? shiftMask(res, w, shift) : null;
        return identity ? new HostGeometry(null, null, mask) : new HostGeometry(order, inverse, mask);
    }

    /**
     * For position {@code k} of the window-partitioned sequence (windows row-major, tokens row-major inside a
     * window) the index of the original token, after a cyclic roll by {@code -shift} on both axes
     * ({@code torch.roll(x, (-shift, -shift))}: rolled {@code (r, c)} holds original {@code (r+shift, c+shift)}).
     */
    public static long[] windowOrder(int res, int w, int shift) {
        int per = res / w;
        long[] order = new long[res * res];
        int k = 0;
        for (int wr = 0; wr < per; wr++) {
            for (int wc = 0; wc < per; wc++) {
                for (int i = 0; i < w; i++) {
                    for (int j = 0; j < w; j++) {
                        int r = (wr * w + i + shift) % res;
                        int c = (wc * w + j + shift) % res;
                        order[k++] = (long) r * res + c;
                    }
                }
            }
        }
        return order;
    }

    /**
     * Hugging Face's attention mask {@code (nW, N, N)} for a shifted stage: the rolled image is cut into regions
     * {@code [0, res-w), [res-w, res-shift), [res-shift, res)} per axis; tokens of one window in different regions
     * get {@link #SHIFT_MASK_LOGIT}, others 0.
     */
    public static double[] shiftMask(int res, int w, int shift) {
        int per = res / w;
        int n = w * w;
        double[] mask = new double[per * per * n * n];
        for (int wr = 0; wr < per; wr++) {
            for (int wc = 0; wc < per; wc++) {
                int win = wr * per + wc;
                int[] label = new int[n];
                for (int i = 0; i < w; i++) {
                    for (int j = 0; j < w; j++) {
                        label[i * w + j] = region(wr * w + i, res, w, shift) * 3 + region(wc * w + j, res, w, shift);
                    }
                }
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        mask[(win * n + a) * n + b] = label[a] == label[b] ? 0 : SHIFT_MASK_LOGIT;
                    }
                }
            }
        }
        return mask;
    }

    private static int region(int coord, int res, int w, int shift) {
        return coord < res - w ? 0 : coord < res - shift ? 1 : 2;
    }

    /** Images {@code (B, C, H, W)} to tokens: patch projection, flatten, {@code embeddings.norm}. */
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
        public NDArray forward(Params params, NDArray input) {
            Shape s = input.getShape();
            int size = config.imageSize();
            if (s.dimension() != 4 || s.get(1) != config.inChannels() || s.get(2) != s.get(3)) {
                throw new InputShapeException("Swin patch embedding", s,
                        "square images (B, " + config.inChannels() + ", S, S), resized to " + size + " x " + size);
            }
            // source images of another size (CIFAR-10's 32 px) are resized bilinearly, as ORCA's transforms.Resize
            NDArray images = s.get(2) == size ? input : Resampling.resizeBilinear(input, size, size);
            int p = config.patchSize();
            NDArray tokens = Blocks.patchProjection(images, params.get(PATCH_PROJECTION + ".weight"),
                    params.get(PATCH_PROJECTION + ".bias"), p);
            return Blocks.layerNorm(params, PATCH_NORM, tokens, config.eps());
        }
    }
}
