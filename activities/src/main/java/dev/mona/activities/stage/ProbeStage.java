package dev.mona.activities.stage;

/**
 * Probe stage: core's {@code LinearProbe} on pooled encoder features (through the source embedder), fitted on the
 * labelled source set and scored on the held-out probe set.
 */
public final class ProbeStage {
    private ProbeStage() {}

    public static final String IMPLEMENTATION = "core:linear-probe";
}
