package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Embedder warm start from the pretrained encoder's own embedding weights, as ORCA's {@code embedder_init}
 * (PAPER-NOTES 2.2, 2.3). The tensors come from the encoder's parameters by their names in its family
 * ({@link Tensors#of}: Swin's {@code embeddings.patch_embeddings.projection} and {@code embeddings.norm}, a ViT's
 * {@code patch_embed.proj} and {@code pos_embed}, BERT's and RoBERTa's {@code embeddings.position_embeddings} and
 * {@code embeddings.LayerNorm}), whatever checkpoint they were loaded from.
 * <ul>
 * <li>Always (ORCA copies RoBERTa's table even without stage 1): the embedder's position table, where it has one,
 * from the encoder's: a text encoder's rows {@code [first, first + tokens)} ({@code first} = 2 for RoBERTa,
 * ORCA's {@code arange(2, n + 2)}; 0 for BERT); a ViT's patch rows (its class-token row left out), resampled when
 * the token counts differ: bilinearly over the grid for a 2-D embedder, linearly over the row-major sequence for a
 * 1-D one (PyTorch's {@code align_corners=False}, non-antialiased, see {@link Resampling}).</li>
 * <li>With {@code full} (ORCA: when stage 1 runs): for {@link Embedder2d}, the encoder's patch projection tiled
 * over the target input channels (target channel {@code c} takes source channel {@code c mod C_src}, ORCA's
 * repeat-and-slice), its bias, and the patch LayerNorm where the encoder has one (Swin; a ViT has none, so the
 * norm stays identity); for {@link Embedder1d}, the text encoder's {@code embeddings.LayerNorm} (the projection
 * stays fresh: the text encoder has no counterpart).</li>
 * </ul>
 * Everything else keeps the embedder's fresh initialisation. Copies are detached from any autograd graph and owned
 * by {@code manager}.
 */
public final class WarmStart {
    private WarmStart() {}

    /**
     * The names of an encoder family's embedding tensors (local names; null where the family has none).
     *
     * @param projection    patch projection prefix ({@code .weight}, {@code .bias})
     * @param norm          LayerNorm prefix of the embedding layer
     * @param positions     absolute position table
     * @param firstPosition first row of the table a target token takes (RoBERTa 2, a ViT with a class token 1)
     * @param grid          tokens per side of a 2-D table (a ViT's); 0 for a 1-D table
     */
    public record Tensors(String projection, String norm, String positions, int firstPosition, int grid) {
        /** The tensors of {@code encoder}'s family; an encoder of another family is a typed error. */
        public static Tensors of(Encoder encoder) {
            if (encoder instanceof SwinEncoder) {
                return new Tensors(SwinEncoder.PATCH_PROJECTION, SwinEncoder.PATCH_NORM, null, 0, 0);
            }
            if (encoder instanceof VitEncoder v) {
                return new Tensors("patch_embed.proj", null, "pos_embed", v.config().classToken() ? 1 : 0,
                        v.config().grid());
            }
            if (encoder instanceof BertEncoder b) {
                return new Tensors(null, BertEncoder.EMBEDDING_NORM, BertEncoder.POSITIONS,
                        b.config().firstPosition(), 0);
            }
            throw new ModelConfigException("no embedder warm start is defined for encoder "
                    + encoder.getClass().getSimpleName() + "; use a Swin, ViT, BERT or RoBERTa encoder");
        }
    }

    /**
     * Embedder parameters (local names) for {@code embedder}, warm-started from {@code encoderParams} (local
     * encoder names): the position table always, the projection and LayerNorm too when {@code full}; the rest
     * freshly initialised from {@code rng}.
     */
    public static Params embedder(Embedder embedder, Encoder encoder, Params encoderParams, boolean full,
                                  NDManager manager, DataType dtype, SplittableRandom rng) {
        Params out = embedder.initialise(manager, dtype, rng);
        Tensors t = Tensors.of(encoder);
        // intermediates (slices, resampled tables) live in tmp; the copies kept are moved to manager
        try (NDManager tmp = manager.newSubManager()) {
            Function<String, NDArray> get = name -> {
                NDArray a = encoderParams.get(name).duplicate();
                a.attach(tmp);
                return a;
            };
            if (embedder instanceof Embedder2d e2) {
                if (e2.positionEmbedding()) {
                    out = out.with("position_embeddings.weight", own(positions2d(e2, t, get), manager, dtype));
                }
                return full ? projection2d(e2, t, get, out, manager, dtype) : out;
            }
            if (embedder instanceof Embedder1d e1) {
                out = out.with("position_embeddings.weight", own(positions1d(e1, t, get), manager, dtype));
                if (full && t.norm() != null) {
                    out = out.with("norm.weight", own(get.apply(t.norm() + ".weight"), manager, dtype))
                            .with("norm.bias", own(get.apply(t.norm() + ".bias"), manager, dtype));
                }
            }
            return out;
        }
    }

    private static Params projection2d(Embedder2d e, Tensors t, Function<String, NDArray> src, Params out,
                                       NDManager manager,
                                       DataType dtype) {
        if (t.projection() == null) {
            throw new ModelConfigException("the 2-D embedder needs an image encoder's patch projection to "
                    + "warm-start from; this encoder has none");
        }
        NDArray w = src.apply(t.projection() + ".weight");
        long[] ws = w.getShape().getShape();
        if (ws[0] != e.tokenWidth() || ws[2] != e.patchSize() || ws[3] != e.patchSize()) {
            throw new ModelConfigException("cannot warm-start the 2-D embedder (width " + e.tokenWidth() + ", patch "
                    + e.patchSize() + ") from a patch projection of shape " + w.getShape());
        }
        long[] channels = new long[e.inChannels()];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = c % ws[1];
        }
        out = out.with("projection.weight", own(w.get(":, {}", w.getManager().create(channels)), manager, dtype))
                .with("projection.bias", own(src.apply(t.projection() + ".bias"), manager, dtype));
        if (t.norm() != null) {
            out = out.with("norm.weight", own(src.apply(t.norm() + ".weight"), manager, dtype))
                    .with("norm.bias", own(src.apply(t.norm() + ".bias"), manager, dtype));
        }
        return out;
    }

    /** The {@code tokens} rows of the table (width columns) a 2-D embedder takes, as a grid resampled to its own. */
    private static NDArray positions2d(Embedder2d e, Tensors t, Function<String, NDArray> src) {
        if (t.positions() == null || t.grid() == 0) {
            throw new ModelConfigException("the 2-D embedder's position table needs an encoder with a 2-D absolute "
                    + "position table (a ViT)");
        }
        NDArray rows = tableRows(t, src, t.grid() * t.grid(), e.tokenWidth());
        if (t.grid() == e.grid()) {
            return rows;
        }
        NDArray grid = rows.transpose().reshape(1, e.tokenWidth(), t.grid(), t.grid());
        return Resampling.resizeBilinear(grid, e.grid(), e.grid()).reshape(e.tokenWidth(), e.tokens()).transpose();
    }

    /** The {@code tokens} rows of the table a 1-D embedder takes. */
    private static NDArray positions1d(Embedder1d e, Tensors t, Function<String, NDArray> src) {
        if (t.positions() == null) {
            throw new ModelConfigException("the 1-D embedder's position table needs an encoder with an absolute "
                    + "position table (BERT, RoBERTa or a ViT)");
        }
        if (t.grid() == 0) {
            long usable = src.apply(t.positions()).getShape().get(0) - t.firstPosition();
            if (e.tokens() > usable) {
                throw new ModelConfigException("the 1-D embedder makes " + e.tokens() + " tokens but the text "
                        + "encoder's position table has only " + usable + " usable rows; lower target-seq-len");
            }
            return tableRows(t, src, e.tokens(), e.tokenWidth());
        }
        int n = t.grid() * t.grid();
        NDArray rows = tableRows(t, src, n, e.tokenWidth());
        return n == e.tokens() ? rows
                : Resampling.applyLast(rows.transpose(), Resampling.bilinearMatrix(n, e.tokens()), e.tokens())
                        .transpose();
    }

    /** Rows {@code [first, first + n)} of the table as {@code (n, width)}. */
    private static NDArray tableRows(Tensors t, Function<String, NDArray> src, int n, int width) {
        NDArray table = src.apply(t.positions());
        NDArray flat = table.reshape(-1, table.getShape().get(table.getShape().dimension() - 1));
        if (flat.getShape().get(1) != width) {
            throw new ModelConfigException("embedder width " + width + " differs from the width "
                    + flat.getShape().get(1) + " of the encoder's position table " + t.positions());
        }
        return flat.get(t.firstPosition() + ":" + (t.firstPosition() + n));
    }

    /** A detached copy in {@code manager} (duplicate and toType run without autograd). */
    private static NDArray own(NDArray a, NDManager manager, DataType dtype) {
        NDArray c = a.getDataType() == dtype ? a.duplicate() : a.toType(dtype, true);
        c.attach(manager);
        return c;
    }
}
