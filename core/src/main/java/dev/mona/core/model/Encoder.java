package dev.mona.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A pretrained transformer body {@code f_theta}: tokens {@code (B, N, width)} in, tokens out (after the final
 * LayerNorm). Its parameters also hold its own source embedding layer, reachable through {@link #sourceEmbedder()}.
 */
public interface Encoder extends Module {
    /** Token width the embedder must produce. */
    int width();

    /** Width of the output tokens (Swin widens through patch merging). */
    int outputWidth();

    /** The pretrained source embedding layer (patch projection or word + position embeddings). */
    Module sourceEmbedder();

    /**
     * Source features {@code (B, outputWidth)}: the encoder over its own source embedding layer, averaged over each
     * input's tokens. A text encoder leaves padding out of both the attention and the mean.
     */
    default NDArray pooledSourceFeatures(Params params, NDArray sourceInput) {
        return forward(params, sourceEmbedder().forward(params, sourceInput)).mean(new int[] {1});
    }

    /**
     * The source embedding layer's output averaged over each input's tokens {@code (B, width)} (ORCA's source
     * features); a text encoder leaves padding out of the mean.
     */
    default NDArray pooledSourceEmbeddings(Params params, NDArray sourceInput) {
        return sourceEmbedder().forward(params, sourceInput).mean(new int[] {1});
    }
}
