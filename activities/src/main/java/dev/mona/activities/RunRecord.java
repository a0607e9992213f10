package dev.mona.activities;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workflows.SweepRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the results read of a completed run beyond its sweep row, from its manifest and its {@code summary.csv}.
 *
 * @param runId            the run
 * @param validationMetric the validation metric that selected the fine-tuned model (the best epoch's), null when
 *                         the manifest lacks it
 * @param gradRatio        the median over stage-1 steps of MoNA's |knowledge term| / |direct gradient|
 *                         ({@code grad_ratio}), null when no stage-1 row has it (other methods, a stage 1 taken from
 *                         the cache of another run configuration)
 * @param curve            per fine-tuning epoch, the mean training loss and the validation metric
 * @param config           the run's resolved configuration ({@code resolvedConfig}), key to value as text
 * @param gradRatioByStep  MoNA's {@code grad_ratio} by stage-1 meta-step (1-based; a step an attempt repeated after
 *                         a resume keeps its last row), empty for other methods
 */
public record RunRecord(String runId, Double validationMetric, Double gradRatio, List<EpochPoint> curve,
                        Map<String, String> config, java.util.SortedMap<Integer, Double> gradRatioByStep) {
    /** A record without per-step ratios. */
    public RunRecord(String runId, Double validationMetric, Double gradRatio, List<EpochPoint> curve,
                     Map<String, String> config) {
        this(runId, validationMetric, gradRatio, curve, config, new TreeMap<>());
    }

    /** One fine-tuning epoch (1-based) of {@code summary.csv}; the metric is null where the epoch had none. */
    public record EpochPoint(int epoch, double trainLoss, Double valMetric) {}

    /**
     * The record of every completed row whose manifest exists, by run id. The summary is the one the fine-tuning
     * result names (a cached fine-tune names the run that computed it, whose file holds its stage-1 rows too).
     */
    public static Map<String, RunRecord> load(ArtifactStore store, List<SweepRow> rows) {
        Map<String, RunRecord> out = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            String manifest = ArtifactKeys.manifest(r.runId());
            if (!SweepSummary.completed(r) || !store.exists(manifest)) {
                continue;
            }
            try {
                JsonNode m = Json.MAPPER.readTree(store.getText(manifest));
                JsonNode ft = m.path("results").path("fineTune");
                String summaryKey = ft.path("summaryKey").asText(ArtifactKeys.summary(r.runId()));
                String csv = store.exists(summaryKey) ? store.getText(summaryKey) : null;
                out.put(r.runId(), of(r.runId(), m, csv));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the manifest of run " + r.runId(), e);
            }
        }
        return out;
    }

    /** The record from a manifest and a {@code summary.csv} (null when there is none). */
    static RunRecord of(String runId, JsonNode manifest, String summaryCsv) {
        JsonNode v = manifest.path("results").path("fineTune").path("validationMetric");
        Map<String, String> config = new TreeMap<>();
        manifest.path("resolvedConfig").fields().forEachRemaining(e -> config.put(e.getKey(),
                e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        List<EpochPoint> curve = new ArrayList<>();
        TreeMap<Integer, Double> byStep = new TreeMap<>();
        if (summaryCsv != null) {
            List<String> header = Arrays.asList(summaryCsv.lines().findFirst().orElse("").split(",", -1));
            int stage = header.indexOf("stage"), epoch = header.indexOf("epoch"), loss = header.indexOf("train_loss"),
                    val = header.indexOf("val_metric"), ratio = header.indexOf("grad_ratio"),
                    step = header.indexOf("step");
            summaryCsv.lines().skip(1).map(l -> l.split(",", -1)).forEach(c -> {
                if (c[stage].equals("finetune")) {
                    curve.add(new EpochPoint(Integer.parseInt(c[epoch]), Double.parseDouble(c[loss]),
                            c[val].isEmpty() ? null : Double.parseDouble(c[val])));
                } else if (c[stage].equals("align") && ratio >= 0 && ratio < c.length && !c[ratio].isEmpty()) {
                    byStep.put(step >= 0 && !c[step].isEmpty() ? Integer.parseInt(c[step]) : byStep.size() + 1,
                            Double.parseDouble(c[ratio]));
                }
            });
        }
        return new RunRecord(runId, v.isNumber() ? v.asDouble() : null, median(new ArrayList<>(byStep.values())),
                List.copyOf(curve), java.util.Collections.unmodifiableMap(config),
                java.util.Collections.unmodifiableSortedMap(byStep));
    }

    /** The median (the mean of the middle two for an even count); null for no values. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
