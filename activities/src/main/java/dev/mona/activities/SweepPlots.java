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
 * The sweep's PNG plots (headless XChart): {@code metric-by-method.png} (mean test metric per method and task)
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

    private static CategoryChart metricChart(List<SweepRow> ok) {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500)
                .title("Test metric by method and task (lower is better)").xAxisTitle("task (metric)")
                .yAxisTitle("test metric").build();
        List<String> tasks = new ArrayList<>(new TreeSet<>(ok.stream().map(SweepRow::task).toList()));
        // tasks have different metrics: each category names its own
        List<String> labels = tasks.stream().map(t -> t + " (" + ok.stream().filter(r -> r.task().equals(t))
                .findFirst().map(SweepRow::metricName).orElse("") + ")").toList();
        for (String method : new TreeSet<>(ok.stream().map(SweepRow::method).toList())) {
            List<Double> ys = new ArrayList<>();
            for (String t : tasks) {
                ys.add(ok.stream().filter(r -> r.task().equals(t) && r.method().equals(method))
                        .mapToDouble(SweepRow::testMetric).average().orElse(0));
            }
            chart.addSeries(method, labels, ys);
        }
        return chart;
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
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
