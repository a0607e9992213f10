package dev.mona.workflows.stage;

/** Artifact key of the written provenance manifest. */
public record ManifestResult(String manifestKey) {
}
