package dev.mona.activities.stage;

/**
 * Probe stage, the run's analysis: core's {@code LinearProbe} on pooled encoder features (through the source
 * embedder), fitted on the labelled source set and scored on the held-out probe set, at each of
 * {@code probe.at-epochs}; core's {@code Tsne} maps of those features; core's {@code ModalityDiscrepancy} before
 * and after stage 1.
 */
public final class ProbeStage {
    private ProbeStage() {}

    public static final String IMPLEMENTATION = "core:linear-probe";
}
