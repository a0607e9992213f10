package dev.mona.cli;

import dev.mona.workflows.TransferResult;

import java.util.Locale;
import java.util.Map;

/** Human-readable renderings of results. */
final class Render {
    private Render() {}

    static String result(TransferResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "task     %s, method %s, seed %d%n", r.task(), r.method().label(), r.seed()));
        b.append(String.format(Locale.ROOT, "metric   %s: test %.4g, validation %.4g (lower is better)%n",
                r.metricName(), r.testMetric(), r.validationMetric()));
        b.append(String.format(Locale.ROOT, "probe    source-knowledge error %.2f%% before, %.2f%% after %d epochs%n",
                r.probeErrorBefore(), r.probeErrorAfter(), r.epochs()));
        if (!r.cachedStages().isEmpty()) {
            b.append("cached   ").append(String.join(", ", r.cachedStages())).append('\n');
        }
        if (!r.resumedFrom().isEmpty()) {
            b.append("resumed  fine-tuning resumed at epoch(s) ").append(r.resumedFrom()).append('\n');
        }
        b.append("computed ");
        r.implementations().forEach((k, v) -> b.append(k).append('=').append(v).append("  "));
        b.append('\n').append("artifacts").append('\n');
        for (Map.Entry<String, String> e : r.artifacts().entrySet()) {
            b.append(String.format("  %-14s %s%n", e.getKey(), e.getValue()));
        }
        return b.toString().stripTrailing();
    }
}
