package dev.mona.activities;

import dev.mona.workflows.SweepRow;
import dev.mona.workflows.stage.EpochError;
import dev.mona.workflows.stage.ProbeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The paper's figures drawn from given runs: which files, how many panels, the method colours; and the loader. */
class AnalysisFiguresTest {
    @TempDir
    Path dir;

    /** Two methods' colours in the palette order (methods sorted by name: ft first, mona second). */
    private static final int FT = 0xff1f77b4;
    private static final int MONA = 0xffff7f0e;

    private static AnalysisFigures.Maps maps(int n) {
        double[][] pre = new double[n][];
        double[][] post = new double[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            pre[i] = new double[]{i, labels[i] * 10};
            post[i] = new double[]{labels[i] * 10, i};
        }
        return new AnalysisFigures.Maps(labels, pre, post);
    }

    private static AnalysisFigures.Run run(String task, String method, long seed, boolean classification) {
        double shift = method.equals("mona") ? -5 : 0;
        ProbeResult p = new ProbeResult(30, 40, "k", "test", false, List.of(new EpochError(0, 30 + seed),
                new EpochError(5, 35 + shift + seed), new EpochError(10, 40 + shift + seed)),
                classification ? 1.5 : null, classification && method.equals("mona") ? 0.9 : null, Map.of());
        return new AnalysisFigures.Run(task, method, seed, classification ? "ERROR_RATE" : "RELATIVE_L2",
                classification ? 20 + seed : 0.1 + seed, p, maps(12));
    }

    private static List<AnalysisFigures.Run> sweep() {
        List<AnalysisFigures.Run> runs = new ArrayList<>();
        for (String task : List.of("digits", "darcy")) {
            for (String method : List.of("mona", "ft")) {
                for (long seed : List.of(0L, 1L)) {
                    runs.add(run(task, method, seed, task.equals("digits")));
                }
            }
        }
        return runs;
    }

    private static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static int count(BufferedImage img, int argb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (img.getRGB(x, y) == argb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void onePanelPerTaskInEachFigureAndDiscrepancyOnlyWhereDefined() throws Exception {
        Map<String, byte[]> figures = AnalysisFigures.render(sweep());
        assertEquals(List.of(AnalysisFigures.PROBE, AnalysisFigures.TSNE, AnalysisFigures.DISCREPANCY),
                List.copyOf(figures.keySet()));
        BufferedImage probe = image(figures.get(AnalysisFigures.PROBE));
        assertEquals(800, probe.getWidth());
        assertEquals(2 * 380, probe.getHeight(), "one panel per task");
        assertTrue(count(probe, FT) > 100 && count(probe, MONA) > 100, "both methods drawn in their colours");
        BufferedImage tsne = image(figures.get(AnalysisFigures.TSNE));
        assertEquals(3 * 360, tsne.getWidth(), "pretrained, then each method fine-tuned");
        assertEquals(2 * 360, tsne.getHeight(), "one row per task");
        BufferedImage disc = image(figures.get(AnalysisFigures.DISCREPANCY));
        assertEquals(380, disc.getHeight(), "darcy (dense) has no discrepancy: one panel");
        assertTrue(count(disc, FT) > 20 && count(disc, MONA) > 20, "a point per run of each method");
        int monaBefore = new java.awt.Color(MONA, true).brighter().getRGB();
        assertTrue(count(disc, monaBefore) > 20, "MoNA's discrepancy before stage 1");
        assertEquals(0, count(disc, new java.awt.Color(FT, true).brighter().getRGB()), "FT has no stage 1");
    }

    @Test
    void probePanelHasBothStartingPoints() {
        // every run: pretrained encoder 30 %, curve over epochs 0, 5, 10
        org.knowm.xchart.XYChart chart = AnalysisFigures.probePanel("digits",
                sweep().stream().filter(r -> r.task().equals("digits")).toList(), List.of("ft", "mona"));
        org.knowm.xchart.XYSeries line = chart.getSeriesMap().get(AnalysisFigures.PRETRAINED);
        assertArrayEquals(new double[]{0, 10}, line.getXData(), 0);
        assertArrayEquals(new double[]{30, 30}, line.getYData(), 1e-12);
        // mona: 30.5 at the start of fine-tuning (seeds 0 and 1: 30, 31), then 30.5, 35.5
        assertArrayEquals(new double[]{30.5, 30.5, 35.5}, chart.getSeriesMap().get("mona").getYData(), 1e-12);
    }

    @Test
    void nothingToDrawGivesNoFigure() {
        assertTrue(AnalysisFigures.render(List.of()).isEmpty());
        List<AnalysisFigures.Run> dense = sweep().stream().filter(r -> r.task().equals("darcy")).toList();
        assertFalse(AnalysisFigures.render(dense).containsKey(AnalysisFigures.DISCREPANCY));
    }

    @Test
    void loadsEachCompletedRunsAnalysisThroughItsManifest() throws Exception {
        try (S3ProxyFixture s3 = S3ProxyFixture.start(dir)) {
            var store = s3.store("figures");
            AnalysisFigures.Run r = run("digits", "mona", 0, true);
            // a run whose probe stage was cached: its analysis files live under the run that computed them
            String tsneKey = "runs/earlier/analysis/tsne.json";
            store.putText(tsneKey, Json.write(r.tsne()), "application/json");
            ProbeResult p = r.probe();
            ProbeResult cached = new ProbeResult(p.errorBefore(), p.errorAfter(), p.key(), p.prober(), true,
                    p.errorByEpoch(), p.discrepancyBefore(), p.discrepancyAfter(), Map.of("tsne", tsneKey));
            store.putText("runs/run-1/manifest.json", Json.write(Map.of("results", Map.of("probe", cached))),
                    "application/json");
            List<SweepRow> rows = List.of(
                    new SweepRow("digits", "mona", 0, "run-1", "completed", "ERROR_RATE", 20.0, 30.0, 40.0, 10, ""),
                    new SweepRow("digits", "ft", 0, "run-2", "failed", "", null, null, null, 0, "boom"),
                    new SweepRow("digits", "ft", 1, "run-3", "completed", "ERROR_RATE", 21.0, 30.0, 40.0, 10, ""),
                    new SweepRow("digits", "ft", 2, "run-4", "completed", "ERROR_RATE", 22.0, 30.0, 40.0, 10, ""));
            // run-3's manifest is gone; run-4's predates the analysis
            store.putText("runs/run-4/manifest.json", "{\"results\": {}}", "application/json");
            List<AnalysisFigures.Run> runs = AnalysisFigures.load(store, rows);
            assertEquals(1, runs.size(), "failed rows and runs without an analysis are left out");
            AnalysisFigures.Run got = runs.get(0);
            assertEquals(p.errorByEpoch(), got.probe().errorByEpoch());
            assertEquals(0.9, got.probe().discrepancyAfter());
            assertEquals(20.0, got.testMetric());
            assertArrayEquals(r.tsne().labels(), got.tsne().labels());
            assertArrayEquals(r.tsne().pretrained()[3], got.tsne().pretrained()[3]);
            assertArrayEquals(r.tsne().fineTuned()[5], got.tsne().fineTuned()[5]);
        }
    }
}
