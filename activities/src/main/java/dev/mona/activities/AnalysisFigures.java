package dev.mona.activities;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workflows.SweepRow;
import dev.mona.workflows.stage.EpochError;
import dev.mona.workflows.stage.ProbeResult;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The paper's analysis figures of a sweep, drawn from its runs' analysis results (headless XChart), one panel per
 * task, each method in the same colour in every figure:
 * <ul>
 *   <li>{@code probe-error-by-epoch.png} (the paper's Figure 3): linear-probe error of the source knowledge against
 *       fine-tuning epochs, per method the mean over seeds with +- one standard deviation, and the pretrained
 *       encoder's error as a reference line;</li>
 *   <li>{@code tsne-panels.png} (Figure 2): t-SNE maps of the held-out source features, the pretrained encoder then
 *       each method's fine-tuned encoder (the run with the lowest seed), points coloured by source class;</li>
 *   <li>{@code discrepancy-vs-metric.png} (Figure 4): the test metric against the modality discrepancy where
 *       fine-tuning starts (after stage 1; FT: the untrained embedder), one point per run, and for methods with a
 *       stage 1 the discrepancy before it, for the classification tasks where the discrepancy is defined.</li>
 * </ul>
 */
public final class AnalysisFigures {
    private AnalysisFigures() {}

    static final String PROBE = "probe-error-by-epoch.png";
    static final String TSNE = "tsne-panels.png";
    static final String DISCREPANCY = "discrepancy-vs-metric.png";

    private static final int WIDTH = 800;
    private static final int PANEL = 380;
    private static final int MAP = 360;
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14),
            new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
            new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    /**
     * The t-SNE maps of one run ({@code analysis/tsne.json}): the source class of each point, and its 2-D position
     * in the map of the pretrained and of the fine-tuned encoder's features.
     */
    public record Maps(int[] labels, double[][] pretrained, double[][] fineTuned) {}

    /** What the figures read of one completed run. */
    public record Run(String task, String method, long seed, String metricName, double testMetric,
                      ProbeResult probe, Maps tsne) {}

    /**
     * The analysis of each completed row, read from its manifest (a run whose stages were cached included); a run
     * whose manifest is gone or holds no probe result (deleted, or written before the analysis existed) is left out.
     */
    public static List<Run> load(ArtifactStore store, List<SweepRow> rows) {
        List<Run> out = new ArrayList<>();
        for (SweepRow r : rows) {
            String manifest = ArtifactKeys.manifest(r.runId());
            if (!"completed".equals(r.status()) || !store.exists(manifest)) {
                continue;
            }
            try {
                JsonNode probe = Json.MAPPER.readTree(store.getText(manifest)).path("results").path("probe");
                if (!probe.isObject()) {
                    continue;
                }
                ProbeResult p = Json.MAPPER.treeToValue(probe, ProbeResult.class);
                String tsne = p.analysisKeys() == null ? null : p.analysisKeys().get("tsne");
                Maps maps = tsne == null ? null : Json.read(store.getText(tsne), Maps.class);
                out.add(new Run(r.task(), r.method(), r.seed(), r.metricName(), r.testMetric(), p, maps));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the analysis of run " + r.runId(), e);
            }
        }
        return out;
    }

    /** File name to PNG bytes; a figure is left out when no run has what it draws. */
    public static Map<String, byte[]> render(List<Run> runs) {
        System.setProperty("java.awt.headless", "true");
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> methods = new ArrayList<>(new TreeSet<>(runs.stream().map(Run::method).toList()));
        Map<String, List<Run>> byTask = new TreeMap<>();
        runs.forEach(r -> byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r));
        List<XYChart> probe = new ArrayList<>();
        byTask.forEach((task, rs) -> {
            if (rs.stream().anyMatch(r -> r.probe().errorByEpoch() != null && !r.probe().errorByEpoch().isEmpty())) {
                probe.add(probePanel(task, rs, methods));
            }
        });
        if (!probe.isEmpty()) {
            out.put(PROBE, png(stack(probe, WIDTH, PANEL)));
        }
        List<List<XYChart>> maps = new ArrayList<>();
        byTask.forEach((task, rs) -> {
            List<XYChart> row = tsneRow(task, rs, methods);
            if (!row.isEmpty()) {
                maps.add(row);
            }
        });
        if (!maps.isEmpty()) {
            out.put(TSNE, png(grid(maps)));
        }
        List<XYChart> disc = new ArrayList<>();
        byTask.forEach((task, rs) -> {
            if (rs.stream().anyMatch(r -> start(r) != null)) {
                disc.add(discrepancyPanel(task, rs, methods));
            }
        });
        if (!disc.isEmpty()) {
            out.put(DISCREPANCY, png(stack(disc, WIDTH, PANEL)));
        }
        return out;
    }

    /** The line of the pretrained encoder's probe error in the probe panel. */
    static final String PRETRAINED = "pretrained encoder (mean over runs)";

    /**
     * One task's probe error against fine-tuning epochs per method, and as a dashed grey line the pretrained
     * encoder's error (before stage 1 and fine-tuning; the sweep's {@code probe-vs-epochs.png} starts there): both
     * starting points in one panel.
     */
    static XYChart probePanel(String task, List<Run> rs, List<String> methods) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL)
                .title(task + ": source knowledge kept over fine-tuning (mean +- sd over seeds)")
                .xAxisTitle("fine-tuning epoch (0: start of fine-tuning; dashed: the pretrained encoder)")
                .yAxisTitle("linear-probe error % (lower = more kept)").build();
        // outside the plot: inside, the legend hid points in a corner
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (String method : methods) {
            TreeMap<Integer, List<Double>> at = new TreeMap<>();
            for (Run r : rs) {
                if (r.method().equals(method) && r.probe().errorByEpoch() != null) {
                    for (EpochError e : r.probe().errorByEpoch()) {
                        at.computeIfAbsent(e.epoch(), k -> new ArrayList<>()).add(e.error());
                    }
                }
            }
            if (at.isEmpty()) {
                continue;
            }
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), sd = new ArrayList<>();
            at.forEach((epoch, errors) -> {
                xs.add((double) epoch);
                ys.add(mean(errors));
                sd.add(sd(errors));
            });
            XYSeries s = chart.addSeries(method, xs, ys, sd);
            s.setLineColor(colour(methods, method));
            s.setMarkerColor(colour(methods, method));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        List<Integer> epochs = rs.stream().filter(r -> r.probe().errorByEpoch() != null)
                .flatMap(r -> r.probe().errorByEpoch().stream()).map(EpochError::epoch).toList();
        if (!epochs.isEmpty()) {
            double pretrained = mean(rs.stream().map(r -> r.probe().errorBefore()).toList());
            XYSeries line = chart.addSeries(PRETRAINED, List.of((double) java.util.Collections.min(epochs),
                    (double) java.util.Collections.max(epochs)), List.of(pretrained, pretrained));
            line.setLineColor(Color.GRAY);
            line.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            line.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** The task's pretrained map, then each method's fine-tuned map, all from the run with the lowest seed. */
    private static List<XYChart> tsneRow(String task, List<Run> rs, List<String> methods) {
        List<XYChart> row = new ArrayList<>();
        for (String method : methods) {
            Run r = rs.stream().filter(x -> x.method().equals(method) && x.tsne() != null)
                    .min(Comparator.comparingLong(Run::seed)).orElse(null);
            if (r == null) {
                continue;
            }
            if (row.isEmpty()) {
                row.add(mapPanel(task + ": pretrained", r.tsne().pretrained(), r.tsne().labels(), true));
            }
            row.add(mapPanel(task + ": " + method + " (seed " + r.seed() + ")", r.tsne().fineTuned(),
                    r.tsne().labels(), false));
        }
        return row;
    }

    private static XYChart mapPanel(String title, double[][] points, int[] labels, boolean legend) {
        XYChart chart = new XYChartBuilder().width(MAP).height(MAP).title(title).xAxisTitle("t-SNE 1")
                .yAxisTitle("t-SNE 2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        // three or more panels a row: small title and a see-through legend keep the title and the points visible
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        chart.getStyler().setLegendVisible(legend);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        chart.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 150));
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setAxisTicksVisible(false);
        for (int c : new TreeSet<>(java.util.Arrays.stream(labels).boxed().toList())) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    xs.add(points[i][0]);
                    ys.add(points[i][1]);
                }
            }
            XYSeries s = chart.addSeries("source class " + c, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[c % PALETTE.length]);
        }
        return chart;
    }

    private static XYChart discrepancyPanel(String task, List<Run> rs, List<String> methods) {
        String metric = rs.get(0).metricName();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL)
                .title(task + ": target metric vs modality discrepancy where fine-tuning starts")
                .xAxisTitle("modality discrepancy (nats): circles where fine-tuning starts, diamonds before stage 1")
                .yAxisTitle("test " + metric + " (lower is better)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(9);
        for (String method : methods) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), bx = new ArrayList<>(), by = new ArrayList<>();
            for (Run r : rs) {
                if (r.method().equals(method) && start(r) != null) {
                    xs.add(start(r));
                    ys.add(r.testMetric());
                    if (r.probe().discrepancyAfter() != null && r.probe().discrepancyBefore() != null) {
                        bx.add(r.probe().discrepancyBefore());
                        by.add(r.testMetric());
                    }
                }
            }
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries(method, xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(colour(methods, method));
            }
            // where stage 1 started: how far it moved the discrepancy
            if (!bx.isEmpty()) {
                XYSeries s = chart.addSeries(method + " before stage 1", bx, by);
                s.setMarker(SeriesMarkers.DIAMOND);
                s.setMarkerColor(colour(methods, method).brighter());
            }
        }
        return chart;
    }

    /** The discrepancy where fine-tuning starts: after stage 1, or before it for methods without one. */
    private static Double start(Run r) {
        return r.probe().discrepancyAfter() != null ? r.probe().discrepancyAfter() : r.probe().discrepancyBefore();
    }

    private static Color colour(List<String> methods, String method) {
        return PALETTE[methods.indexOf(method) % PALETTE.length];
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation; 0 for a single value. */
    private static double sd(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1));
    }

    private static BufferedImage stack(List<XYChart> panels, int width, int height) {
        BufferedImage out = new BufferedImage(width, height * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(ChartTitles.image(panels.get(i)), 0, i * height, null);
        }
        g.dispose();
        return out;
    }

    /** One row of map panels per task, left-aligned on a white background. */
    private static BufferedImage grid(List<List<XYChart>> rows) {
        int cols = rows.stream().mapToInt(List::size).max().orElse(1);
        BufferedImage out = new BufferedImage(cols * MAP, rows.size() * MAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < rows.get(i).size(); j++) {
                g.drawImage(ChartTitles.image(rows.get(i).get(j)), j * MAP, i * MAP, null);
            }
        }
        g.dispose();
        return out;
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
