package dev.mona.core.analysis;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes t-SNE maps of source features as one PNG with one panel per encoder (for example "pretrained", "FT",
 * "MoNA"), points coloured by source class. Runs headless ({@code java.awt.headless=true} is set here).
 */
public final class TsnePanels {
    private TsnePanels() {}

    /** Maps each encoder's features with {@link Tsne} and writes the panels to {@code png}. */
    public static Map<String, double[][]> write(Map<String, double[][]> featuresByEncoder, int[] labels,
                                                 Tsne.Config config, Path png) {
        Map<String, double[][]> maps = new LinkedHashMap<>();
        featuresByEncoder.forEach((name, f) -> maps.put(name, Tsne.embed(f, config)));
        writeMaps(maps, labels, png);
        return maps;
    }

    /** Writes already computed 2-D maps. */
    public static void writeMaps(Map<String, double[][]> maps, int[] labels, Path png) {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new ArrayList<>();
        TreeSet<Integer> classes = new TreeSet<>();
        for (int l : labels) {
            classes.add(l);
        }
        maps.forEach((name, y) -> {
            if (y.length != labels.length) {
                throw new IllegalArgumentException("map '" + name + "' has " + y.length + " points for "
                        + labels.length + " labels");
            }
            XYChart chart = new XYChartBuilder().width(420).height(400).title(name).build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setMarkerSize(4);
            for (int c : classes) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] == c) {
                        xs.add(y[i][0]);
                        ys.add(y[i][1]);
                    }
                }
                chart.addSeries("class " + c, xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
            charts.add(chart);
        });
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String file = png.toString();
            String base = file.endsWith(".png") ? file.substring(0, file.length() - 4) : file;
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), base, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write t-SNE panels to " + png, e);
        }
    }
}
