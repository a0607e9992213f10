package dev.mona.core.model;

/** A target embedder {@code e_phi}: raw target input to encoder tokens {@code (B, N, width)}. */
public interface Embedder extends Module {
}
