package dev.mona.activities;

import dev.mona.workflows.SweepRow;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The sweep's PNG plots (headless XChart): {@code metric-by-method.png} (mean test metric per method, one panel
 * per task since tasks differ in metric and scale)
 * and {@code probe-vs-epochs.png} (linear-probe error against fine-tuning epochs, one series per method).
 */
public final class SweepPlots {
    private SweepPlots() {}

    /** File name to PNG bytes; empty when no row completed. */
    public static Map<String, byte[]> render(List<SweepRow> rows) {
        System.setProperty("java.awt.headless", "true");
        List<SweepRow> ok = rows.stream().filter(r -> "completed".equals(r.status())).toList();
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (ok.isEmpty()) {
            return out;
        }
        out.put("metric-by-method.png", png(metricChart(ok)));
        out.put("probe-vs-epochs.png", png(probeChart(ok)));
        return out;
    }

    /** One panel per task (tasks have different metrics and scales), stacked into one image. */
    private static java.awt.image.BufferedImage metricChart(List<SweepRow> ok) {
        List<String> tasks = new ArrayList<>(new TreeSet<>(ok.stream().map(SweepRow::task).toList()));
        List<String> methods = new ArrayList<>(new TreeSet<>(ok.stream().map(SweepRow::method).toList()));
        int width = 800;
        int panel = 360;
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(width, panel * tasks.size(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        for (int i = 0; i < tasks.size(); i++) {
            String t = tasks.get(i);
            String metric = ok.stream().filter(r -> r.task().equals(t)).findFirst().map(SweepRow::metricName)
                    .orElse("");
            CategoryChart chart = new CategoryChartBuilder().width(width).height(panel)
                    .title(t + ": test " + metric + " by method (lower is better)").xAxisTitle("method")
                    .yAxisTitle(metric).build();
            chart.getStyler().setLegendVisible(false);
            List<Double> ys = new ArrayList<>();
            for (String method : methods) {
                ys.add(ok.stream().filter(r -> r.task().equals(t) && r.method().equals(method))
                        .mapToDouble(SweepRow::testMetric).average().orElse(0));
            }
            chart.addSeries("mean over seeds", methods, ys);
            g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, i * panel, null);
        }
        g.dispose();
        return out;
    }

    private static XYChart probeChart(List<SweepRow> ok) {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Linear-probe error of source knowledge vs fine-tuning epochs").xAxisTitle("fine-tuning epochs")
                .yAxisTitle("probe error (%)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        for (String method : new TreeSet<>(ok.stream().map(SweepRow::method).toList())) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            // epoch 0 is the pretrained encoder
            for (SweepRow r : ok) {
                if (r.method().equals(method)) {
                    xs.add(0.0);
                    ys.add(r.probeErrorBefore());
                    xs.add((double) r.epochs());
                    ys.add(r.probeErrorAfter());
                }
            }
            chart.addSeries(method, xs, ys);
        }
        return chart;
    }

    private static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        return png(BitmapEncoder.getBufferedImage(chart));
    }

    private static byte[] png(java.awt.image.BufferedImage image) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
