package dev.mona.activities;

import dev.mona.workflows.SweepRow;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.mona.activities.SweepRows.DARCY;
import static dev.mona.activities.SweepRows.DIGITS;
import static org.junit.jupiter.api.Assertions.*;

/** The figures' data against the hand-computed summaries of {@link SweepRows}. */
class SweepPlotsTest {
    private static final double EPS = 1e-9;

    private static List<Number> list(java.util.Collection<? extends Number> c) {
        return new ArrayList<>(c);
    }

    private static void close(List<Double> expected, List<Number> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) == null) {
                assertNull(actual.get(i), actual.toString());
            } else {
                assertEquals(expected.get(i), actual.get(i).doubleValue(), EPS, actual.toString());
            }
        }
    }

    @Test
    void summaryCountsFailedAndMissingSeeds() {
        List<SweepSummary.Cell> cells = SweepSummary.testMetric(SweepRows.rows());
        assertEquals(6, cells.size());
        SweepSummary.Cell mona = cells.get(2);
        assertEquals(List.of(DARCY, "MONA", "RELATIVE_L2", 1, 1, 1, 3), List.of(mona.task(), mona.method(),
                mona.metric(), mona.n(), mona.failed(), mona.missing(), mona.expected()));
        assertNull(mona.sd(), "one seed has no sd");
        SweepSummary.Cell emb = cells.get(4);
        assertEquals(List.of(DIGITS, "EMB", "ERROR_RATE", 0, 3, 0), List.of(emb.task(), emb.method(), emb.metric(),
                emb.n(), emb.failed(), emb.missing()));
        assertNull(emb.mean());
        assertEquals(new SweepSummary.Counts(12, 5, 1), SweepSummary.counts(SweepRows.rows()));
    }

    @Test
    void metricPanelsAreOnePerTaskWithSdErrorBarsAndFailedRunsMarked() {
        SweepPlots.Panel<CategoryChart> panel = SweepPlots.metricPanel(DARCY, SweepRows.rows());
        assertEquals("not in the means: EMB 1 failed; MONA 1 failed, 1 missing", panel.note());
        CategoryChart darcy = panel.chart();
        var mean = darcy.getSeriesMap().get(SweepPlots.MEAN_SERIES);
        close(Arrays.asList(0.6, 0.6, 0.3), list(mean.getYData()));
        close(Arrays.asList(0.1, Math.sqrt(0.08), 0.0), list(mean.getExtraValues()));
        assertEquals(List.of("FT (n=3/3)", "EMB (n=2/3, 1 failed)", "MONA (n=1/3, 1 failed, 1 missing)"),
                new ArrayList<>(mean.getXData()));
        // a red cross on the axis where a seed is lacking, none where all seeds are in the mean
        close(Arrays.asList(null, 0.0, 0.0), list(darcy.getSeriesMap().get(SweepPlots.FAILED_SERIES).getYData()));
        assertTrue(darcy.getYAxisTitle().contains("RELATIVE_L2") && darcy.getYAxisTitle().contains("lower is better"),
                darcy.getYAxisTitle());
        assertTrue(darcy.getTitle().startsWith(DARCY), darcy.getTitle());

        CategoryChart digits = SweepPlots.metricPanel(DIGITS, SweepRows.rows()).chart();
        var d = digits.getSeriesMap().get(SweepPlots.MEAN_SERIES);
        close(Arrays.asList(50.0, Double.NaN, 30.0), list(d.getYData()));
        close(Arrays.asList(10.0, 0.0, 0.0), list(d.getExtraValues()));
        close(Arrays.asList(null, 0.0, null), list(digits.getSeriesMap().get(SweepPlots.FAILED_SERIES).getYData()));
        assertTrue(digits.getYAxisTitle().contains("ERROR_RATE"), digits.getYAxisTitle());
        assertEquals(0, digits.getStyler().getXAxisLabelRotation(), "three short labels fit upright");
    }

    @Test
    void aMethodThatNeverRanOnATaskHasNoCellThere() {
        // merged sweeps: a variant tried on Darcy only, seeds 0 and 1 of the study's 0-2
        List<SweepRow> rows = new ArrayList<>(SweepRows.rows());
        for (long seed = 0; seed < 2; seed++) {
            rows.add(SweepRows.ok(DARCY, "FT[lr=0.1]", seed, "RELATIVE_L2", 0.5, 80, 85));
        }
        List<String> digits = SweepSummary.testMetric(rows).stream().filter(c -> c.task().equals(DIGITS))
                .map(SweepSummary.Cell::method).toList();
        assertFalse(digits.contains("FT[lr=0.1]"), digits.toString());
        SweepSummary.Cell variant = SweepSummary.testMetric(rows).stream()
                .filter(c -> c.method().equals("FT[lr=0.1]")).findFirst().orElseThrow();
        assertEquals(2, variant.n());
        assertEquals(1, variant.missing(), "seed 2 of the study");
        SweepSummary.Counts before = SweepSummary.counts(SweepRows.rows());
        assertEquals(new SweepSummary.Counts(before.completed() + 2, before.failed(), before.missing() + 1),
                SweepSummary.counts(rows));
    }

    @Test
    void methodLabelsWiderThanTheirBarsStandUpright() {
        List<SweepRow> rows = new ArrayList<>();
        for (String m : List.of("mona", "scratch", "ft", "emb", "mona[mona.lambda=1]", "orca",
                "emb[emb.predictor=false]")) {
            rows.add(SweepRows.ok(DARCY, m, 0, "RELATIVE_L2", 0.2, 14, 15));
        }
        CategoryChart chart = SweepPlots.metricPanel(DARCY, rows).chart();
        assertEquals(SweepPlots.LABEL_ROTATION, chart.getStyler().getXAxisLabelRotation());
        // the panel grows by the widest label, so the plot keeps its height
        assertTrue(chart.getHeight() > SweepPlots.metricPanel(DIGITS, SweepRows.rows()).chart().getHeight() + 100,
                chart.getHeight() + " px");
    }

    @Test
    void probePanelsKeepTasksApart() {
        XYChart darcy = SweepPlots.probePanel(DARCY, SweepRows.rows()).chart();
        assertEquals(List.of("FT (n=3/3)", "EMB (n=2/3, 1 failed)", "MONA (n=1/3, 1 failed, 1 missing)"),
                new ArrayList<>(darcy.getSeriesMap().keySet()));
        XYSeries ft = darcy.getSeriesMap().get("FT (n=3/3)");
        assertArrayEquals(new double[]{82, 87}, ft.getYData(), EPS);
        assertArrayEquals(new double[]{2, Math.sqrt(7)}, ft.getExtraValues(), EPS);
        XYSeries emb = darcy.getSeriesMap().get("EMB (n=2/3, 1 failed)");
        assertArrayEquals(new double[]{82, 84}, emb.getYData(), EPS);
        assertArrayEquals(new double[]{Math.sqrt(2), Math.sqrt(2)}, emb.getExtraValues(), EPS);
        // methods are offset along x around the pretrained encoder (0) and the 2 epochs trained
        assertTrue(ft.getXData()[0] < emb.getXData()[0] && Math.abs(ft.getXData()[1] - 2) < 0.1, Arrays.toString(
                ft.getXData()));
        // no digits value (10-40 %) in the darcy panel, no darcy value (80-90 %) in the digits panel
        for (XYSeries s : darcy.getSeriesMap().values()) {
            assertTrue(Arrays.stream(s.getYData()).allMatch(y -> y >= 80), s.getName());
        }
        SweepPlots.Panel<XYChart> panel = SweepPlots.probePanel(DIGITS, SweepRows.rows());
        assertEquals("not in the means: EMB 3 failed", panel.note());
        XYChart digits = panel.chart();
        assertEquals(List.of("FT (n=3/3)", "MONA (n=3/3)"), new ArrayList<>(digits.getSeriesMap().keySet()),
                "EMB has no completed seed: no line, counted in the panel's note");
        assertArrayEquals(new double[]{10, 30}, digits.getSeriesMap().get("FT (n=3/3)").getYData(), EPS);
        assertArrayEquals(new double[]{0, 10}, digits.getSeriesMap().get("FT (n=3/3)").getExtraValues(), EPS);
        assertTrue(digits.getYAxisTitle().contains("lower is better"), digits.getYAxisTitle());
    }

    @Test
    void renderStacksOnePanelPerTaskEvenWhenEveryRunFailed() throws Exception {
        Map<String, byte[]> figures = SweepPlots.render(SweepRows.rows(), SweepRows.runs());
        assertEquals(List.of("metric-by-method.png", "probe-vs-epochs.png", SweepPlots.CURVES),
                new ArrayList<>(figures.keySet()));
        for (String name : List.of("metric-by-method.png", "probe-vs-epochs.png")) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(figures.get(name)));
            assertEquals(2 * (400 + 26), image.getHeight(), "two tasks, two panels");
        }
        BufferedImage curves = ImageIO.read(new ByteArrayInputStream(figures.get(SweepPlots.CURVES)));
        assertEquals(4 * (400 + 26), curves.getHeight(), "two tasks, training loss and validation panels each");
        assertFalse(SweepPlots.render(SweepRows.rows(), Map.of()).containsKey(SweepPlots.CURVES),
                "no run record with a curve: no curve figure");
        Map<String, byte[]> allFailed = SweepPlots.render(List.of(SweepRows.failed(DARCY, "FT", 0)), Map.of());
        assertEquals(2, allFailed.size(), "a sweep whose runs all failed still shows them");
    }

    @Test
    void theRatioFigureIsTheMedianAndRangeOverSeedsByMetaStep() throws Exception {
        // digits MONA seeds 0-2 (SweepRows rows 14-16) with ratios by step; step 3 only in seed 0 (a shorter run),
        // seed 1 repeats step 2 after a resume (the record keeps the last row)
        List<SweepRow> rows = SweepRows.rows();
        Map<String, RunRecord> runs = new java.util.LinkedHashMap<>(SweepRows.runs());
        String[] csv = {
                "stage,epoch,step,grad_ratio\nalign,,1,0.1\nalign,,2,0.01\nalign,,3,0.5\n",
                "stage,epoch,step,grad_ratio\nalign,,1,0.3\nalign,,2,9\nalign,,2,0.03\n",
                "stage,epoch,step,grad_ratio\nalign,,1,0.2\nalign,,2,0.02\n"};
        for (int i = 0; i < 3; i++) {
            SweepRow r = rows.get(14 + i);
            RunRecord parsed = RunRecord.of(r.runId(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode(), csv[i]);
            runs.put(r.runId(), parsed);
        }
        assertEquals(java.util.Map.of(1, 0.3, 2, 0.03), runs.get(rows.get(15).runId()).gradRatioByStep(),
                "a repeated step keeps its last row");
        assertEquals(0.165, runs.get(rows.get(15).runId()).gradRatio(), EPS, "the median of 0.3 and 0.03");
        XYChart chart = SweepPlots.ratioPanel(SweepRows.DIGITS, rows, runs).chart();
        assertArrayEquals(new double[]{1, 2, 3}, chart.getSeriesMap().get("MONA median (n=3)").getXData(), EPS);
        assertArrayEquals(new double[]{0.2, 0.02, 0.5}, chart.getSeriesMap().get("MONA median (n=3)").getYData(),
                EPS);
        assertArrayEquals(new double[]{0.1, 0.01, 0.5}, chart.getSeriesMap().get("MONA lowest seed").getYData(),
                EPS);
        assertArrayEquals(new double[]{0.3, 0.03, 0.5}, chart.getSeriesMap().get("MONA highest seed").getYData(),
                EPS);
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        Map<String, byte[]> figures = SweepPlots.render(rows, runs);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(figures.get(SweepPlots.RATIOS)));
        assertEquals(400 + 26, image.getHeight(), "one panel: only digits has runs with ratios");
        assertFalse(SweepPlots.render(rows, SweepRows.runs()).containsKey(SweepPlots.RATIOS),
                "no per-step ratios recorded: no figure");
    }

    @Test
    void curvesAreTheMeanOverSeedsByEpoch() {
        // darcy FT (SweepRows.runs): training loss 1/2/3 at epoch 1 and 0.5/1.5/2.5 at epoch 2; validation
        // 0.55/0.65/0.75 then 0.45/0.55/0.65
        XYChart loss = SweepPlots.curvePanel(DARCY, SweepRows.rows(), SweepRows.runs(), false).chart();
        XYSeries ft = loss.getSeriesMap().get("FT (n=3/3)");
        assertArrayEquals(new double[]{1, 2}, ft.getXData(), EPS);
        assertArrayEquals(new double[]{2, 1.5}, ft.getYData(), EPS);
        assertArrayEquals(new double[]{1, 1}, ft.getExtraValues(), EPS);
        SweepPlots.Panel<XYChart> val = SweepPlots.curvePanel(DARCY, SweepRows.rows(), SweepRows.runs(), true);
        assertArrayEquals(new double[]{0.65, 0.55}, val.chart().getSeriesMap().get("FT (n=3/3)").getYData(), EPS);
        assertTrue(val.chart().getYAxisTitle().startsWith("validation RELATIVE_L2"), val.chart().getYAxisTitle());
        assertEquals("not in the means: EMB 3 without a curve; MONA 2 without a curve", val.note());
    }
}
