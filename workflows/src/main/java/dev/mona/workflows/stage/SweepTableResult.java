package dev.mona.workflows.stage;

import java.util.List;

/** Artifact keys of a sweep's table ({@code results.csv}, {@code results.json}, {@code results.md}) and plots. */
public record SweepTableResult(String csvKey, String jsonKey, String markdownKey, List<String> plotKeys) {
}
