package dev.mona.workflows.stage;

import java.util.Map;

/**
 * A prepared source encoder.
 *
 * @param name          encoder name
 * @param weightsKey    artifact key of the pretrained weights
 * @param sourceSetKey  artifact key of the labelled source set (MoNA's outer loss, the linear probe)
 * @param digest        digest of weights and source set
 * @param cached        true when reused from the stage cache
 * @param encoderConfig the Hugging Face {@code config.json} of a published source (empty for an offline source,
 *                      whose configuration its name fixes)
 * @param provenance    where the source came from: repository, revision, file digests, source set (for the
 *                      manifest)
 */
public record SourceRef(String name, String weightsKey, String sourceSetKey, String digest, boolean cached,
                        String encoderConfig, Map<String, String> provenance) {
    public SourceRef {
        encoderConfig = encoderConfig == null ? "" : encoderConfig;
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }
}
