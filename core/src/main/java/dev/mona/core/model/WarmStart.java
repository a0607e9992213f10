package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.SplittableRandom;

/**
 * Embedder warm start from the pretrained encoder's own embedding weights (METHOD.md section 2):
 * <ul>
 * <li>{@link Embedder2d}: the encoder's patch projection tiled over the target input channels
 * (target channel {@code c} takes source channel {@code c mod C_src}), its bias copied, and the patch LayerNorm
 * copied where the encoder has one (Swin's {@code embeddings.norm}; a ViT has none, so the norm stays identity);</li>
 * <li>{@link Embedder1d}: position embedding rows {@code [first, first + tokens)} of the text encoder's table,
 * {@code first} = 2 for RoBERTa and 0 for BERT, and its {@code embeddings.LayerNorm} copied; the projection stays
 * trunc-normal(0.02) (the text encoder has no counterpart).</li>
 * </ul>
 * Copies are detached from any autograd graph and owned by {@code manager}.
 */
public final class WarmStart {
    private WarmStart() {}

    /**
     * Embedder parameters (local names) for {@code embedder}, warm-started from {@code encoderParams} (local
     * encoder names) where the pair allows it, otherwise freshly initialised from {@code rng}.
     */
    public static Params embedder(Embedder embedder, Encoder encoder, Params encoderParams, NDManager manager,
                                  DataType dtype, SplittableRandom rng) {
        Params fresh = embedder.initialise(manager, dtype, rng);
        if (embedder instanceof Embedder2d e2) {
            return embedder2d(e2, encoder, encoderParams, fresh, manager, dtype);
        }
        if (embedder instanceof Embedder1d e1 && encoder instanceof BertEncoder bert) {
            return embedder1d(e1, bert, encoderParams, fresh, manager, dtype);
        }
        return fresh;
    }

    private static Params embedder2d(Embedder2d e, Encoder encoder, Params src, Params fresh, NDManager manager,
                                     DataType dtype) {
        String proj;
        String norm = null;
        if (encoder instanceof SwinEncoder) {
            proj = SwinEncoder.PATCH_PROJECTION;
            norm = SwinEncoder.PATCH_NORM;
        } else if (encoder instanceof VitEncoder) {
            proj = "patch_embed.proj";
        } else {
            return fresh;
        }
        NDArray w = src.get(proj + ".weight");
        long[] ws = w.getShape().getShape();
        if (ws[0] != e.tokenWidth() || ws[2] != e.patchSize() || ws[3] != e.patchSize()) {
            throw new ModelConfigException("cannot warm-start the 2-D embedder (width " + e.tokenWidth() + ", patch "
                    + e.patchSize() + ") from a patch projection of shape " + w.getShape());
        }
        long[] channels = new long[e.inChannels()];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = c % ws[1];
        }
        Params out = fresh
                .with("projection.weight", own(w.get(":, {}", manager.create(channels)), manager, dtype))
                .with("projection.bias", own(src.get(proj + ".bias"), manager, dtype));
        if (norm != null) {
            out = out.with("norm.weight", own(src.get(norm + ".weight"), manager, dtype))
                    .with("norm.bias", own(src.get(norm + ".bias"), manager, dtype));
        }
        return out;
    }

    private static Params embedder1d(Embedder1d e, BertEncoder bert, Params src, Params fresh, NDManager manager,
                                     DataType dtype) {
        BertConfig c = bert.config();
        int first = c.firstPosition();
        if (first + e.tokens() > c.maxPositions()) {
            throw new ModelConfigException("the 1-D embedder makes " + e.tokens() + " tokens but the text encoder's "
                    + "position table has only " + c.maxTokens() + " usable rows; lower the target sequence length");
        }
        if (e.tokenWidth() != c.width()) {
            throw new ModelConfigException("1-D embedder width " + e.tokenWidth() + " differs from the text encoder "
                    + "width " + c.width());
        }
        NDArray rows = src.get(BertEncoder.POSITIONS).get(first + ":" + (first + e.tokens()));
        return fresh.with("position_embeddings.weight", own(rows, manager, dtype))
                .with("norm.weight", own(src.get(BertEncoder.EMBEDDING_NORM + ".weight"), manager, dtype))
                .with("norm.bias", own(src.get(BertEncoder.EMBEDDING_NORM + ".bias"), manager, dtype));
    }

    /** A detached copy in {@code manager} (duplicate and toType run without autograd). */
    private static NDArray own(NDArray a, NDManager manager, DataType dtype) {
        NDArray c = a.getDataType() == dtype ? a.duplicate() : a.toType(dtype, true);
        c.attach(manager);
        return c;
    }
}
