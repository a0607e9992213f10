package dev.mona.activities;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workflows.SweepRow;
import dev.mona.workflows.stage.SweepTableRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.mona.activities.SweepRows.DARCY;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sweep report page: self-contained, with the table's values, every stored figure and the runs' manifests. */
class SweepReportTest {
    @TempDir
    static Path dir;
    static S3ProxyFixture s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyFixture.start(Files.createDirectories(dir.resolve("s3")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("(src|href)=\"([^\"]*)\"");

    /** Every src and href of the page, in order. */
    private static List<String[]> attributes(String html) {
        List<String[]> out = new ArrayList<>();
        Matcher m = ATTRIBUTE.matcher(html);
        while (m.find()) {
            out.add(new String[]{m.group(1), m.group(2)});
        }
        return out;
    }

    /** A 4x4 PNG, as a figure another writer (the analysis figures) stores under the sweep's plots/. */
    private static byte[] extraFigure() throws Exception {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff0000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static String manifestUri(String runId) {
        return "s3://bucket/" + ArtifactKeys.manifest(runId);
    }

    @Test
    void pageIsSelfContainedWithTheTableValuesFiguresAndRunLinks() throws Exception {
        List<SweepRow> rows = SweepRows.rows();
        Map<String, byte[]> figures = new LinkedHashMap<>(SweepPlots.render(rows, SweepRows.runs()));
        figures.put("tsne.png", extraFigure());
        String html = SweepReport.html("sweep-x-1", rows, SweepRows.runs(), figures,
                id -> rows.stream().anyMatch(r -> r.runId().equals(id) && SweepSummary.completed(r))
                        ? manifestUri(id) : null);

        // nothing to fetch: images inline, links only to the runs' manifests, no script, stylesheet or font
        List<String> images = new ArrayList<>();
        Set<String> links = new HashSet<>();
        for (String[] a : attributes(html)) {
            if (a[0].equals("src")) {
                assertTrue(a[1].startsWith("data:image/png;base64,"), a[1]);
                images.add(a[1].substring("data:image/png;base64,".length()));
            } else {
                links.add(a[1]);
            }
        }
        assertFalse(html.contains("http://") || html.contains("https://"), "no web address in the page");
        for (String external : new String[]{"<script", "<link", "url(", "@import", "<iframe", "<object"}) {
            assertFalse(html.contains(external), external);
        }
        assertEquals(figures.size(), images.size());
        int i = 0;
        for (byte[] png : figures.values()) {
            assertArrayEquals(png, Base64.getDecoder().decode(images.get(i++)), "figure " + i + " as stored");
        }
        Set<String> manifests = new HashSet<>();
        rows.stream().filter(SweepSummary::completed).forEach(r -> manifests.add(manifestUri(r.runId())));
        assertEquals(manifests, links, "a link per completed run, to its manifest");

        // the table: mean ± sd and 95 % CI (hand-computed in SweepRows: 0.6 ± 4.302653 * 0.1 / sqrt(3)), n, failed,
        // missing per task and method, the validation metric and the diagnostic ratio from the run records
        assertTrue(html.contains("<tr><td>" + DARCY + "</td><td>FT</td><td>RELATIVE_L2</td><td>3</td><td>0</td>"
                + "<td>0</td><td>0.6000 ± 0.1000</td><td>[0.3516, 0.8484]</td><td>0.5500 ± 0.1000</td>"
                + "<td>[0.3016, 0.7984]</td><td>82.00 ± 2.000</td><td>87.00 ± 2.646</td><td></td></tr>"), html);
        assertTrue(html.contains("<tr class=\"lacking\"><td>" + DARCY + "</td><td>EMB</td><td>RELATIVE_L2</td>"
                + "<td>2</td><td>1</td><td>0</td><td>0.6000 ± 0.2828</td>"), html);
        assertTrue(html.contains("<tr class=\"lacking\"><td>" + DARCY + "</td><td>MONA</td><td>RELATIVE_L2</td>"
                + "<td>1</td><td>1</td><td>1</td><td>0.3000</td><td></td><td>0.2500</td><td></td><td>80.00</td>"
                + "<td>81.00</td><td>0.02000</td></tr>"), html);
        // the paired differences (hand-computed in SweepStatsTest) and which test is which
        assertTrue(html.contains("<tr><td>" + SweepRows.DIGITS + "</td><td>MONA - FT</td><td>ERROR_RATE</td>"
                + "<td>3</td><td>-20.00</td><td>-44.84</td><td>4.841</td><td>-3.464</td><td>0.07418</td><td>0.000</td>"
                + "<td>0.2500</td><td>0</td></tr>"), html);
        assertTrue(html.contains("exact two-sided Wilcoxon signed-rank test"), html);
        assertTrue(html.contains("<td>EMB</td><td>ERROR_RATE</td><td>0</td><td>3</td><td>0</td><td></td>"), html);
        assertTrue(html.contains("17 runs (2 tasks &times; 3 methods &times; 3 seeds): 12 completed, "
                + "<span class=\"bad\">5 failed</span>, <span class=\"bad\">1 missing</span>"), html);
        // a line per run with its state; a failed run's message escaped, no manifest
        for (SweepRow r : rows) {
            assertTrue(html.contains("<td>" + r.runId() + "</td>"), r.runId());
        }
        assertTrue(html.contains("<td>failed</td><td></td><td></td><td></td><td></td><td>none</td>"
                + "<td>stage fineTune failed: &lt;out of memory&gt; &amp; more</td>"), html);
    }

    @Test
    void aCompleteSweepOfOneRunSaysSoWithoutRed() {
        String html = SweepReport.html("s", List.of(SweepRows.ok(DARCY, "ft", 0, "RELATIVE_L2", 0.5, 80, 85)),
                Map.of(), Map.of(), id -> null);
        assertTrue(html.contains("1 run (1 task &times; 1 method &times; 1 seed): 1 completed, 0 failed, 0 missing."),
                html);
        assertTrue(html.contains("No figures were stored"), html);
        assertTrue(html.contains("<td>0.5000</td><td></td><td></td><td></td><td>80.00</td><td>85.00</td>"),
                "one seed: the mean, no sd, no interval; no record: no validation metric");
    }

    @Test
    void writeSweepTableStoresThePageWithEveryFigureAndReadsTheRunsResults() throws Exception {
        ArtifactStore store = s3.store("report");
        List<SweepRow> rows = SweepRows.rows();
        String sweepId = "sweep-report-test";
        // one run's manifest and summary.csv as the stages write them: two stage-1 steps, two fine-tuning epochs
        String runId = rows.get(0).runId();
        String summaryKey = ArtifactKeys.summary(runId);
        store.putText(ArtifactKeys.manifest(runId), "{\"resolvedConfig\": {\"lr\": 0.001}, \"results\": {\"fineTune\": "
                + "{\"validationMetric\": 0.42, \"summaryKey\": \"" + summaryKey + "\"}}}", "application/json");
        store.putText(summaryKey, SummaryCsv.HEADER + "\n"
                + "align,,1,2.0,,0.1,0.5,1,,,,,,,0.3,,,\n"
                + "align,,2,1.5,,0.1,0.5,1,,,,,,,0.1,,,\n"
                + "finetune,1,,0.9,0.5,0.001,1.0,1,,,,,,,,,,\n"
                + "finetune,2,,0.7,0.42,0.001,1.0,1,,,,,,,,,,\n", "text/csv");

        new DataActivitiesImpl(store).writeSweepTable(new SweepTableRequest(sweepId, rows));

        String html = store.getText(ArtifactKeys.sweepReport(sweepId));
        List<String> images = attributes(html).stream().filter(a -> a[0].equals("src")).map(a -> a[1]).toList();
        assertEquals(4, images.size(), "metric-by-method, probe-vs-epochs, the curves and the grad_ratio steps of the "
                + "one recorded run");
        for (String name : new String[]{"metric-by-method.png", "probe-vs-epochs.png", SweepPlots.CURVES,
                SweepPlots.RATIOS}) {
            assertTrue(images.contains("data:image/png;base64," + Base64.getEncoder().encodeToString(
                    store.get(ArtifactKeys.sweepPlots(sweepId) + name))), name);
        }
        // the one recorded run's validation metric, n = 1 of the three FT seeds
        assertTrue(html.contains("<td>0.6000 ± 0.1000</td><td>[0.3516, 0.8484]</td><td>0.4200</td><td></td>"), html);
        assertEquals(List.of("s3://report/" + ArtifactKeys.manifest(runId)), attributes(html).stream()
                .filter(a -> a[0].equals("href")).map(a -> a[1]).toList(), "links only to manifests that exist");
        RunRecord r = RunRecord.load(store, rows).get(runId);
        assertEquals(0.2, r.gradRatio(), 1e-12, "the median of the stage-1 steps' 0.3 and 0.1");
        assertEquals(List.of(new RunRecord.EpochPoint(1, 0.9, 0.5), new RunRecord.EpochPoint(2, 0.7, 0.42)),
                r.curve());
        assertEquals(Map.of("lr", "0.001"), r.config());
    }

    /**
     * The documented browser check: {@code infra/check-report.sh} screenshots the page in headless Chromium; the
     * picture must hold more than a blank page. Skipped where Chromium is not installed.
     */
    @Test
    void chromiumRendersThePage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "no /usr/bin/chromium: browser check skipped");
        List<SweepRow> rows = SweepRows.rows();
        Path page = dir.resolve("report.html");
        Files.writeString(page, SweepReport.html("sweep-x-1", rows, SweepRows.runs(),
                SweepPlots.render(rows, SweepRows.runs()),
                SweepReportTest::manifestUri));
        Path shot = dir.resolve("shot.png");
        Process p = new ProcessBuilder("bash", Path.of("..", "infra", "check-report.sh").toString(), page.toString(),
                shot.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "check-report.sh did not end");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), output);

        BufferedImage image = ImageIO.read(shot.toFile());
        assertNotNull(image, "a PNG");
        assertEquals(1280, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) inked++;
            }
        }
        long sampled = (long) (image.getHeight() / 2) * (image.getWidth() / 2);
        // the figures' blue bars and grey chart backgrounds alone cover far more than a tenth of the window
        assertTrue(inked > sampled / 10, "mostly blank: " + inked + " of " + sampled + " sampled pixels inked");
        assertTrue(colours.size() > 50, "too few colours for text, tables and figures: " + colours.size());
    }
}
