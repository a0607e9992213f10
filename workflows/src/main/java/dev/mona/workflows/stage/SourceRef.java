package dev.mona.workflows.stage;

/**
 * A prepared source encoder.
 *
 * @param name         encoder name
 * @param weightsKey   artifact key of the pretrained weights
 * @param sourceSetKey artifact key of the labelled source set (MoNA's outer loss, the linear probe)
 * @param digest       digest of weights and source set
 * @param cached       true when reused from the stage cache
 */
public record SourceRef(String name, String weightsKey, String sourceSetKey, String digest, boolean cached) {
}
