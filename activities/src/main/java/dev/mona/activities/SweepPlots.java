package dev.mona.activities;

import dev.mona.activities.SweepSummary.Cell;
import dev.mona.workflows.SweepRow;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep's PNG figures (headless XChart), one panel per task stacked top to bottom, since tasks differ in metric
 * and scale: {@code metric-by-method.png} (test metric per method), {@code probe-vs-epochs.png} (linear-probe
 * error of the pretrained encoder and after fine-tuning) and {@code train-val-curves.png} (per task a panel of the
 * fine-tuning's training loss and one of its validation metric against epochs, per method). Points are means over
 * seeds with error bars of one sample standard deviation; runs that failed or gave no value are marked in red and
 * listed under the panel, never dropped silently (their counts are in {@link SweepSummary}).
 */
public final class SweepPlots {
    private SweepPlots() {}

    /** What the error bars are, in every panel's legend or axis title. */
    static final String ERROR_BARS = "mean ± 1 sd over seeds";
    static final String MEAN_SERIES = ERROR_BARS + " (no error bar where n < 2)";
    static final String FAILED_SERIES = "failed or missing runs (no value)";
    private static final Color FAILED = new Color(200, 30, 30);
    /** Okabe-Ito (colour-blind safe), by the method's place in the sweep: one colour per method in every panel. */
    private static final Color[] METHOD_COLORS = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};
    private static final org.knowm.xchart.style.markers.Marker[] METHOD_MARKERS = {SeriesMarkers.CIRCLE,
            SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN,
            SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE};
    private static final int WIDTH = 900;
    private static final int PANEL = 400;
    /** Degrees the method labels of a bar chart turn when they are wider than their bars. */
    static final int LABEL_ROTATION = 90;
    /** Height of the note under each chart. */
    private static final int NOTE = 26;
    private static final String LACKING = "not in the means: ";

    /** File name to PNG bytes; empty when there are no rows, no curves when no run record has one. */
    public static Map<String, byte[]> render(List<SweepRow> rows, Map<String, RunRecord> runs) {
        System.setProperty("java.awt.headless", "true");
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return out;
        }
        List<String> tasks = SweepSummary.tasks(rows);
        out.put("metric-by-method.png", png(stack(tasks.stream().map(t -> metricPanel(t, rows).image()).toList())));
        out.put("probe-vs-epochs.png", png(stack(tasks.stream().map(t -> probePanel(t, rows).image()).toList())));
        if (runs.values().stream().anyMatch(r -> !r.curve().isEmpty())) {
            List<BufferedImage> curves = new ArrayList<>();
            for (String t : tasks) {
                curves.add(curvePanel(t, rows, runs, false).image());
                curves.add(curvePanel(t, rows, runs, true).image());
            }
            out.put(CURVES, png(stack(curves)));
        }
        List<String> withRatios = tasks.stream().filter(t -> rows.stream().anyMatch(r -> r.task().equals(t)
                && runs.containsKey(r.runId()) && !runs.get(r.runId()).gradRatioByStep().isEmpty())).toList();
        if (!withRatios.isEmpty()) {
            out.put(RATIOS, png(stack(withRatios.stream().map(t -> ratioPanel(t, rows, runs).image()).toList())));
        }
        return out;
    }

    static final String CURVES = "train-val-curves.png";
    static final String RATIOS = "grad-ratio-by-step.png";

    /**
     * One task's MoNA diagnostic over stage 1: |knowledge term| / |direct gradient| of the meta-gradient at every
     * meta-step, the median over seeds and the smallest and largest seed's value as a band (log scale: the ratio
     * spans decades as alpha and lambda change), a line per method that records it.
     */
    static Panel<XYChart> ratioPanel(String task, List<SweepRow> rows, Map<String, RunRecord> runs) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL)
                .title(task + ": MoNA's knowledge term / direct gradient by meta-step")
                .xAxisTitle("stage-1 meta-step; line: median over seeds, thin lines: the lowest and highest seed")
                .yAxisTitle("grad_ratio (log scale)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        List<String> methods = SweepSummary.methods(rows);
        int seeds = 0;
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i);
            java.util.TreeMap<Integer, List<Double>> at = new java.util.TreeMap<>();
            int n = 0;
            for (SweepRow r : rows) {
                RunRecord rec = r.task().equals(task) && r.method().equals(method) ? runs.get(r.runId()) : null;
                if (rec == null || rec.gradRatioByStep().isEmpty()) {
                    continue;
                }
                n++;
                rec.gradRatioByStep().forEach((step, v) -> {
                    if (v > 0) { // a log axis has no zero
                        at.computeIfAbsent(step, k -> new ArrayList<>()).add(v);
                    }
                });
            }
            if (at.isEmpty()) {
                continue;
            }
            seeds += n;
            List<Double> xs = new ArrayList<>(), median = new ArrayList<>(), low = new ArrayList<>(),
                    high = new ArrayList<>();
            at.forEach((step, v) -> {
                xs.add((double) step);
                median.add(RunRecord.median(v));
                low.add(java.util.Collections.min(v));
                high.add(java.util.Collections.max(v));
            });
            XYSeries s = chart.addSeries(method + " median (n=" + n + ")", xs, median);
            methodLine(s, i);
            for (List<Double> edge : List.of(low, high)) {
                XYSeries e = chart.addSeries(method + (edge == low ? " lowest seed" : " highest seed"), xs, edge);
                e.setMarker(SeriesMarkers.NONE);
                e.setLineColor(s.getLineColor());
                e.setLineWidth(0.7f);
                e.setShowInLegend(false);
            }
        }
        return new Panel<>(chart, seeds + " run(s) with MoNA's diagnostics");
    }

    /**
     * One task's fine-tuning curves: the mean training loss ({@code validation} false) or the validation metric
     * against epochs, a line per method of the mean over the seeds that recorded the epoch, with sd error bars.
     */
    static Panel<XYChart> curvePanel(String task, List<SweepRow> rows, Map<String, RunRecord> runs,
                                     boolean validation) {
        String metric = rows.stream().filter(r -> r.task().equals(task) && SweepSummary.completed(r))
                .map(SweepRow::metricName).findFirst().orElse("metric");
        String what = validation ? "validation " + metric : "training loss";
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL)
                .title(task + ": " + what + " during fine-tuning by method")
                .xAxisTitle("fine-tuning epoch; points: " + ERROR_BARS)
                .yAxisTitle(what + " (lower is better)").build();
        chart.getStyler().setErrorBarsColorSeriesColor(true).setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> methods = SweepSummary.methods(rows);
        List<String> lacking = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i);
            java.util.TreeMap<Integer, List<Double>> at = new java.util.TreeMap<>();
            int seeds = 0, expected = 0;
            for (SweepRow r : rows) {
                if (!r.task().equals(task) || !r.method().equals(method)) {
                    continue;
                }
                expected++;
                RunRecord rec = runs.get(r.runId());
                if (rec == null || rec.curve().isEmpty()) {
                    continue;
                }
                seeds++;
                for (RunRecord.EpochPoint p : rec.curve()) {
                    Double y = validation ? p.valMetric() : Double.valueOf(p.trainLoss());
                    if (y != null) {
                        at.computeIfAbsent(p.epoch(), k -> new ArrayList<>()).add(y);
                    }
                }
            }
            if (seeds < expected) {
                lacking.add(method + " " + (expected - seeds) + " without a curve");
            }
            if (at.isEmpty()) {
                continue;
            }
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), sd = new ArrayList<>();
            at.forEach((epoch, v) -> {
                double m = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                xs.add((double) epoch);
                ys.add(m);
                sd.add(v.size() < 2 ? 0 : Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum()
                        / (v.size() - 1)));
            });
            XYSeries s = chart.addSeries(method + " (n=" + seeds + "/" + expected + ")", xs, ys, sd);
            methodLine(s, i);
        }
        if (chart.getSeriesMap().isEmpty()) {
            // XChart draws no axes without a series: an invisible one keeps the empty panel readable
            chart.addSeries("no curve recorded", new double[]{1, 2}, new double[]{0, 0})
                    .setMarker(SeriesMarkers.NONE).setLineColor(new Color(0, 0, 0, 0));
        }
        return new Panel<>(chart, lacking.isEmpty() ? "every seed of every method is in the means"
                : LACKING + String.join("; ", lacking));
    }

    /**
     * A task's chart and the note drawn under it: which methods lack seeds in the means, in red (XChart's own
     * annotations sit on the plot or the legend and would hide one of them).
     */
    record Panel<C extends Chart<?, ?>>(C chart, String note) {
        BufferedImage image() {
            int height = chart.getHeight();
            BufferedImage out = new BufferedImage(WIDTH, height + NOTE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setColor(chart.getStyler().getChartBackgroundColor());
            g.fillRect(0, 0, WIDTH, height + NOTE);
            g.drawImage(ChartTitles.image(chart), 0, 0, null);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13));
            g.setColor(note.startsWith(LACKING) ? FAILED : Color.DARK_GRAY);
            g.drawString(note, 12, height + NOTE - 9);
            g.dispose();
            return out;
        }
    }

    /** One task's test metric per method: bars of the mean, sd error bars, a red cross where seeds are lacking. */
    static Panel<CategoryChart> metricPanel(String task, List<SweepRow> rows) {
        List<Cell> cells = of(task, SweepSummary.testMetric(rows));
        String metric = cells.get(0).metric().isEmpty() ? "metric" : cells.get(0).metric();
        List<String> labels = new ArrayList<>();
        List<Double> means = new ArrayList<>(), bars = new ArrayList<>(), lacking = new ArrayList<>();
        for (Cell c : cells) {
            labels.add(c.method() + " (" + counts(c) + ")");
            means.add(c.mean() == null ? Double.NaN : c.mean()); // XChart's error bars take no null; NaN draws nothing
            bars.add(c.errorBar());
            // the cross sits on the axis: a lacking run has no value to place it at
            lacking.add(c.failed() + c.missing() > 0 ? 0.0 : null);
        }
        // labels wider than their bar's slot (a merged study's variants, "emb[emb.predictor=false] (n=5/5)") would
        // run into each other, and XChart then leaves some out: they stand upright below the axis, the panel taller
        // by the widest of them
        java.awt.Font tick = new org.knowm.xchart.style.CategoryStyler().getAxisTickLabelsFont();
        double widest = labels.stream().mapToDouble(l -> ChartTitles.width(l, tick)).max().orElse(0);
        boolean upright = widest > (WIDTH - 80.0) / labels.size() - 10;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH)
                .height(upright ? PANEL + (int) Math.ceil(widest) : PANEL)
                .title(task + ": test " + metric + " by method")
                .xAxisTitle("method (n = seeds with a value, of " + cells.get(0).expected() + ")")
                .yAxisTitle("test " + metric + " (lower is better)").build();
        chart.getStyler().setOverlapped(true).setErrorBarsColor(Color.BLACK)
                .setLegendPosition(Styler.LegendPosition.OutsideS);
        if (upright) {
            chart.getStyler().setXAxisLabelRotation(LABEL_ROTATION);
        }
        chart.addSeries(MEAN_SERIES, labels, means, bars).setFillColor(METHOD_COLORS[0]);
        CategorySeries failed = chart.addSeries(FAILED_SERIES, labels, lacking);
        failed.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        failed.setMarker(SeriesMarkers.CROSS).setMarkerColor(FAILED);
        return new Panel<>(chart, note(cells));
    }

    /**
     * One task's linear-probe error on the source set against fine-tuning epochs, a line per method from the
     * pretrained encoder (epoch 0) to the fine-tuned one; methods are offset slightly along x so bars stay apart.
     */
    static Panel<XYChart> probePanel(String task, List<SweepRow> rows) {
        List<Cell> before = of(task, SweepSummary.probeBefore(rows));
        List<Cell> after = of(task, SweepSummary.probeAfter(rows));
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL)
                .title(task + ": linear-probe error on the source set by method")
                .xAxisTitle("fine-tuning epochs (0 = pretrained encoder); points: " + ERROR_BARS)
                .yAxisTitle("probe error % (lower is better)").build();
        chart.getStyler().setErrorBarsColorSeriesColor(true).setLegendPosition(Styler.LegendPosition.OutsideS);
        double maxEpochs = rows.stream().filter(r -> r.task().equals(task) && SweepSummary.completed(r))
                .mapToInt(SweepRow::epochs).max().orElse(1);
        List<Cell> shown = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            Cell b = before.get(i), a = after.get(i);
            Cell fewer = a.n() <= b.n() ? a : b; // a line needs both ends
            shown.add(fewer);
            if (fewer.n() == 0) {
                continue; // nothing to draw; the panel's note counts it
            }
            String method = b.method();
            // every seed of a task and method runs one configuration, hence one epoch count
            double epochs = rows.stream().filter(r -> r.task().equals(task) && r.method().equals(method)
                    && SweepSummary.completed(r)).mapToInt(SweepRow::epochs).max().orElseThrow();
            double offset = (i - (before.size() - 1) / 2.0) * 0.015 * maxEpochs;
            XYSeries s = chart.addSeries(method + " (" + counts(fewer) + ")", new double[]{offset, epochs + offset},
                    new double[]{b.mean(), a.mean()}, new double[]{b.errorBar(), a.errorBar()});
            methodLine(s, i);
        }
        if (chart.getSeriesMap().isEmpty()) {
            // XChart draws no axes without a series: an invisible one keeps the empty panel readable
            chart.addSeries("no completed run", new double[]{0, maxEpochs}, new double[]{0, 0})
                    .setMarker(SeriesMarkers.NONE).setLineColor(new Color(0, 0, 0, 0));
        }
        return new Panel<>(chart, note(shown));
    }

    /** "n=2/3, 1 failed" */
    private static String counts(Cell c) {
        String s = "n=" + c.n() + "/" + c.expected();
        if (c.failed() > 0) s += ", " + c.failed() + " failed";
        if (c.missing() > 0) s += ", " + c.missing() + " missing";
        return s;
    }

    /** "not in the means: EMB 1 failed; MONA 1 failed, 1 missing", or that every seed is in them. */
    static String note(List<Cell> cells) {
        List<String> lacking = cells.stream().filter(c -> c.failed() + c.missing() > 0)
                .map(c -> c.method() + " " + counts(c).substring(counts(c).indexOf(", ") + 2)).toList();
        return lacking.isEmpty() ? "every seed of every method is in the means"
                : LACKING + String.join("; ", lacking);
    }

    private static List<Cell> of(String task, List<Cell> cells) {
        return cells.stream().filter(c -> c.task().equals(task)).toList();
    }

    private static BufferedImage stack(List<BufferedImage> panels) {
        BufferedImage out = new BufferedImage(WIDTH, panels.stream().mapToInt(BufferedImage::getHeight).sum(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        return out;
    }

    private static byte[] png(BufferedImage image) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The i-th method's line: its colour and marker, the same in every panel. */
    private static void methodLine(XYSeries s, int i) {
        Color color = METHOD_COLORS[i % METHOD_COLORS.length];
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(METHOD_MARKERS[i % METHOD_MARKERS.length]);
    }
}
