package dev.mona.core.model;

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
}
