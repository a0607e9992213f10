package dev.mona.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.activities.stage.CoreModels;
import dev.mona.activities.stage.TaskStage;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.export.OnnxRuntimeSession;
import dev.mona.core.model.TransferModel;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.offline.OfflineData;
import dev.mona.workers.ClusterConfig;
import dev.mona.workers.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every verb through the real command line against a local server (port-bound Temporal + s3proxy over sockets),
 * found the way users find it: through {@code <data dir>/server.json}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliVerbsTest {
    @TempDir
    static Path tmp;
    static LocalStack stack;
    static Map<String, String> env;
    static String runId;
    static String cancelledId;
    static String sweepId;
    /** A catalogue task through core at tiny settings (as activities' CoreStagesTest). */
    static final String[] SMALL = {"--set", "limit=12", "--set", "batch=4", "--set", "epochs=2", "--set",
            "source.samples=20", "--set", "source.limit=600", "--set", "source.epochs=1", "--set", "probe.epochs=5",
            "--set", "align.epochs=1"};

    @BeforeAll
    static void start() {
        Path data = tmp.resolve("data");
        env = Map.of("MONA_DATA_DIR", data.toString(), "HOME", tmp.toString());
        ClusterConfig cfg = ClusterConfig.load(null, env);
        stack = LocalStack.start(cfg, 0, 0);
        stack.info(cfg.namespace()).write(data);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String[] args(String[] head, String... tail) {
        String[] out = new String[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    @Test
    @Order(1)
    void runWaitsAndPrintsTheResultAsJson() throws Exception {
        Cli.Result r = Cli.run(env, args(new String[]{"run", "offline-pde-darcy", "--method", "emb", "--seed", "4",
                "--wait", "--format", "json"}, SMALL));
        assertEquals(0, r.code(), r.toString());
        assertEquals(1, r.out().lines().count(), "one line, the whole result: " + r.out());
        JsonNode n = Verb.JSON.readTree(r.out());
        runId = n.get("workflowId").asText();
        assertFalse(n.get("attached").asBoolean());
        assertEquals("COMPLETED", n.get("status").asText());
        assertEquals("EMB", n.get("result").get("method").asText());
        assertEquals(2, n.get("result").get("epochs").asInt());
        assertTrue(n.get("result").get("artifacts").has("manifest"));

        // the same request spelled differently (case of the method, padded and zero-led values) attaches
        Cli.Result again = Cli.run(env, args(new String[]{"run", "offline-pde-darcy", "--method", "EMB", "--seed",
                "4", "--wait", "--format", "json", "--set", "epochs= 02", "--set", "batch=04"}, SMALL));
        assertEquals(0, again.code(), again.toString());
        JsonNode m = Verb.JSON.readTree(again.out());
        assertEquals(runId, m.get("workflowId").asText());
        assertTrue(m.get("attached").asBoolean(), "the identical submit must attach");
        assertEquals(n.get("result"), m.get("result"));
    }

    @Test
    @Order(2)
    void statusWatchLsResultsArtifactsExportCancel() throws Exception {
        Cli.Result status = Cli.run(env, "status", runId);
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains("completed"), status.out());
        Cli.Result statusJson = Cli.run(env, "status", runId, "--format", "json");
        assertEquals("COMPLETED", Verb.JSON.readTree(statusJson.out()).get("snapshot").get("status").asText());

        Cli.Result watch = Cli.run(env, "watch", runId, "--format", "json");
        assertEquals(0, watch.code(), watch.toString());
        assertEquals("COMPLETED", Verb.JSON.readTree(watch.out().lines().reduce((a, b) -> b).orElseThrow())
                .get("status").asText());

        Cli.Result ls = Cli.run(env, "ls", "--format", "json");
        assertEquals(0, ls.code(), ls.toString());
        JsonNode listed = Verb.JSON.readTree(ls.out());
        boolean found = false;
        for (JsonNode x : listed) {
            found |= x.get("id").asText().equals(runId) && x.get("state").asText().equals("completed");
        }
        assertTrue(found, ls.out());

        Cli.Result results = Cli.run(env, "results", runId, "--format", "json");
        assertEquals(0, results.code(), results.toString());
        JsonNode manifest = Verb.JSON.readTree(results.out());
        assertEquals(runId, manifest.get("runId").asText());
        assertTrue(manifest.get("inputs").get("dataset").get("sha256").asText().length() == 64);

        Cli.Result arts = Cli.run(env, "artifacts", "ls", "runs/" + runId + "/", "--format", "csv");
        assertEquals(0, arts.code(), arts.toString());
        assertTrue(arts.out().contains("runs/" + runId + "/manifest.json"), arts.out());
        assertTrue(arts.out().contains("runs/" + runId + "/checkpoints/epoch-002/"), arts.out());
        Path got = tmp.resolve("summary.csv");
        Cli.Result get = Cli.run(env, "artifacts", "get", "runs/" + runId + "/metrics/summary.csv", "-o",
                got.toString());
        assertEquals(0, get.code(), get.toString());
        List<String> summary = Files.readAllLines(got);
        assertEquals(2, summary.stream().filter(l -> l.startsWith("finetune,")).count(), summary.toString());
        // Emb's one warm-up epoch of a few steps: a stage-1 row per step, its task loss as l_in, no MoNA columns
        List<String> header = List.of(summary.get(0).split(",", -1));
        List<String[]> align = summary.stream().filter(l -> l.startsWith("align,")).map(l -> l.split(",", -1))
                .toList();
        assertFalse(align.isEmpty(), summary.toString());
        for (int i = 0; i < align.size(); i++) {
            String[] row = align.get(i);
            assertEquals(String.valueOf(i + 1), row[header.indexOf("step")], summary.toString());
            assertEquals(row[header.indexOf("train_loss")], row[header.indexOf("l_in")], summary.toString());
            assertEquals("", row[header.indexOf("grad_ratio")], summary.toString());
        }
        // the manifest's configuration is the one core's Trainer ran with (its checkpoint state records it)
        Path state = tmp.resolve("state.json");
        assertEquals(0, Cli.run(env, "artifacts", "get", "runs/" + runId + "/checkpoints/epoch-002/state.json", "-o",
                state.toString()).code());
        JsonNode used = Verb.JSON.readTree(state.toFile()).get("config");
        JsonNode config = manifest.get("resolvedConfig");
        assertEquals("2", config.get("epochs").asText());
        assertEquals("4", config.get("batch").asText());
        assertEquals("1", config.get("align.epochs").asText());
        assertEquals(config.get("epochs").asInt(), used.get("epochs").asInt());
        assertEquals(config.get("batch").asInt(), used.get("batchSize").asInt());
        assertEquals(config.get("accumulation").asInt(), used.get("accumulation").asInt());
        assertEquals(config.get("optimizer").asText().toUpperCase(), used.get("optimizer").asText());
        assertEquals(config.get("lr").asDouble(), used.get("learningRate").asDouble());
        assertEquals(config.get("weight.decay").asDouble(), used.get("weightDecay").asDouble());
        assertEquals(config.get("momentum").asDouble(), used.get("momentum").asDouble());
        assertEquals(config.get("warmup.epochs").asInt(), used.get("warmupEpochs").asInt());
        assertEquals(config.get("clip.norm").asDouble(), used.get("clipNorm").asDouble());
        assertFalse(config.has("align.steps"), "a MoNA key is not part of an Emb run: " + config);
        Cli.Result missing = Cli.run(env, "artifacts", "get", "runs/nope/x", "-o", tmp.resolve("x").toString());
        assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing.toString());
        assertFalse(Files.exists(tmp.resolve("x")));

        Cli.Result export = Cli.run(env, "export", runId, "-o", tmp.resolve("m.onnx").toString());
        assertEquals(0, export.code(), export.toString());
        assertTrue(Files.size(tmp.resolve("m.onnx")) > 10_000);
        // a file that cannot be written: an environment error naming it and the option, no stack trace, and the
        // file in the way untouched
        Path notAFolder = Files.writeString(tmp.resolve("not-a-folder"), "x");
        for (String[] args : new String[][]{{"export", runId, "-o", notAFolder.resolve("m.onnx").toString()},
                {"artifacts", "get", "runs/" + runId + "/manifest.json", "-o", notAFolder.resolve("m.json").toString()}}) {
            Cli.Result unwritable = Cli.run(env, args);
            assertEquals(ExitCodes.ENVIRONMENT, unwritable.code(), unwritable.toString());
            assertTrue(unwritable.err().contains("cannot write " + notAFolder.toAbsolutePath())
                    && unwritable.err().contains("choose a writable file with -o"), unwritable.toString());
            assertFalse(unwritable.err().contains("\tat "), "a stack trace: " + unwritable);
        }
        assertEquals("x", Files.readString(notAFolder));
        // the export stage checked ONNX Runtime against the trained model on held-out inputs
        assertTrue(manifest.get("results").get("export").get("maxAbsDiff").asDouble() < 1e-4, manifest.toString());
        // and the downloaded file, run by ONNX Runtime here, gives the fine-tuned model's own (DJL) outputs
        Path weights = tmp.resolve("final.safetensors");
        assertEquals(0, Cli.run(env, "artifacts", "get", "runs/" + runId + "/model/final.safetensors", "-o",
                weights.toString()).code());
        TaskSpec spec = TaskStage.spec("offline-pde-darcy");
        TransferModel model = CoreModels.model(spec, dev.mona.activities.stage.SourceStage.encoderConfig(
                "fashion-mnist-vit", ""), dev.mona.core.config.ConfigKeys.resolve(new dev.mona.core.config.RunContext(
                spec, "ft", "fashion-mnist-vit"), java.util.Map.of()).targetSeqLen());
        long[] shape = new long[spec.inputShape().length + 1];
        shape[0] = 2;
        System.arraycopy(spec.inputShape(), 0, shape, 1, spec.inputShape().length);
        float[] x = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] onnx;
        try (OnnxRuntimeSession ort = OnnxRuntimeSession.open(Files.readAllBytes(tmp.resolve("m.onnx")), false)) {
            onnx = ort.run(new HostTensor(x, shape)).data();
        }
        try (NDManager m = Engines.newManager(Device.cpu())) {
            float[] djl = model.forward(CoreModels.allParams(model, weights, m), m.create(x, new Shape(shape)))
                    .toFloatArray();
            assertEquals(djl.length, onnx.length);
            for (int i = 0; i < djl.length; i++) {
                assertEquals(djl[i], onnx[i], 1e-4, "output " + i);
            }
        }
        Cli.Result noRun = Cli.run(env, "export", "transfer-nope", "-o", tmp.resolve("n.onnx").toString());
        assertEquals(ExitCodes.NOT_FOUND, noRun.code(), noRun.toString());
        assertFalse(Files.exists(tmp.resolve("n.onnx")));

        Cli.Result cancel = Cli.run(env, "cancel", runId);
        assertEquals(0, cancel.code(), cancel.toString());
        assertTrue(cancel.out().contains("already completed"), cancel.out());
        for (String verb : new String[]{"status", "watch", "cancel"}) {
            Cli.Result unknown = Cli.run(env, verb, "transfer-nope");
            assertEquals(ExitCodes.NOT_FOUND, unknown.code(), unknown.toString());
            assertEquals("mona: no run or sweep 'transfer-nope'; see 'mona ls'", unknown.err().strip());
        }
        Cli.Result noResults = Cli.run(env, "results", "transfer-nope");
        assertEquals(ExitCodes.NOT_FOUND, noResults.code(), noResults.toString());
    }

    @Test
    @Order(3)
    void cancelStopsARunningRun() throws Exception {
        Cli.Result r = Cli.run(env, "run", "offline-pde-darcy", "--method", "ft", "--seed", "9", "--set",
                "limit=12", "--set", "batch=4", "--set", "epochs=500", "--set", "source.samples=20", "--set",
                "source.limit=600", "--set", "source.epochs=1", "--format", "json");
        assertEquals(0, r.code(), r.toString());
        String id = Verb.JSON.readTree(r.out()).get("workflowId").asText();
        cancelledId = id;
        assertEquals("RUNNING", Verb.JSON.readTree(r.out()).get("status").asText());
        Cli.Result c = Cli.run(env, "cancel", id, "--format", "json");
        assertEquals(0, c.code(), c.toString());
        Cli.Result w = Cli.run(env, "watch", id, "--timeout", "60");
        assertEquals(ExitCodes.RUN_FAILED, w.code(), w.toString());
        assertTrue(w.out().contains("CANCELED"), w.out());
    }

    @Test
    @Order(4)
    void sweepPrintsTheTableAndWritesPlots() throws Exception {
        Path spec = tmp.resolve("sweep.yaml");
        Files.writeString(spec, """
                name: cli-test
                tasks: [offline-pde-darcy]
                methods: [ft, emb]
                seeds: [0, 1]
                maxConcurrent: 2
                config: {limit: 12, batch: 4, epochs: 2, source.samples: 20, source.limit: 600, source.epochs: 1,
                         probe.epochs: 5, align.epochs: 1}
                """);
        Path out = tmp.resolve("plots");
        Cli.Result r = Cli.run(env, "sweep", spec.toString(), "--wait", "--format", "csv", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(5, r.out().lines().count(), r.out());
        assertTrue(r.out().lines().skip(1).allMatch(l -> l.contains(",completed,")), r.out());
        sweepId = r.err().replaceAll("(?s).*sweep (sweep-cli-test-[0-9a-f]+).*", "$1");
        Cli.Result md = Cli.run(env, "results", sweepId, "--format", "markdown", "--out", out.toString());
        assertEquals(0, md.code(), md.toString());
        assertTrue(md.out().startsWith("| task | method |"), md.out());
        assertTrue(Files.size(out.resolve(sweepId).resolve("metric-by-method.png")) > 1000);
        assertTrue(Files.size(out.resolve(sweepId).resolve("probe-vs-epochs.png")) > 1000);
        // the analysis figures (probe over epochs, t-SNE); Darcy is dense: no discrepancy figure
        assertTrue(Files.size(out.resolve(sweepId).resolve("probe-error-by-epoch.png")) > 1000);
        assertTrue(Files.size(out.resolve(sweepId).resolve("tsne-panels.png")) > 1000);
        assertFalse(Files.exists(out.resolve(sweepId).resolve("discrepancy-vs-metric.png")));
        // the fine-tuning curves, drawn from the runs' summary.csv
        assertTrue(Files.size(out.resolve(sweepId).resolve("train-val-curves.png")) > 1000);
        Cli.Result table = Cli.run(env, "results", sweepId, "--out", out.toString());
        assertTrue(table.out().contains("test (mean ± sd)") && table.out().contains("validation 95% CI"),
                "the summary over seeds follows the rows: " + table.out());
        // no MoNA in this sweep: its last method (emb) against ft, paired by seed, and which test is which
        assertTrue(table.out().contains("emb - ft") && table.out().contains("wilcoxon_exact_p")
                && table.out().contains("exact two-sided Wilcoxon signed-rank"), table.out());
        Cli.Result summaryCsv = Cli.run(env, "results", sweepId, "--format", "csv", "--table", "summary", "--out",
                out.toString());
        assertEquals(0, summaryCsv.code(), summaryCsv.toString());
        assertEquals(3, summaryCsv.out().lines().count(), summaryCsv.out());
        assertTrue(summaryCsv.out().lines().skip(1).allMatch(l -> l.contains(",2,0,0,")), "2 seeds, none lacking: "
                + summaryCsv.out());
        for (String[] refused : new String[][]{{"--format", "csv", "--table", "all"}, {"--format", "json", "--table",
                "summary"}}) {
            Cli.Result r2 = Cli.run(env, Stream.concat(Stream.of("results", sweepId), Stream.of(refused))
                    .toArray(String[]::new));
            assertEquals(ExitCodes.BAD_INPUT, r2.code(), "csv holds one table, json all: " + r2);
            // json reports the error on stdout; nothing of the sweep is printed
            assertFalse(r2.out().contains("\"rows\"") || r2.out().contains("task,"), r2.out());
        }
        JsonNode stats = Verb.JSON.readTree(Cli.run(env, "results", sweepId, "--format", "json", "--out",
                out.toString()).out());
        for (JsonNode cell : stats.get("summary")) {
            assertEquals(2, cell.get("validation").get("n").asInt(), "every run's validation metric: " + cell);
        }
        assertEquals("ft", stats.get("paired").get(0).get("versus").asText());
        assertEquals(2, stats.get("paired").get(0).get("stats").get("n").asInt());
        // several sweeps: the comparison (the same sweep twice: no key differs, the first is the best)
        Cli.Result compared = Cli.run(env, "results", sweepId, sweepId, "--format", "csv");
        assertEquals(0, compared.code(), compared.toString());
        assertTrue(compared.out().startsWith("task,method,sweep,n,val_n,val_mean,"), compared.out());
        assertEquals(List.of("true", "false", "true", "false"), compared.out().lines().skip(1)
                .map(l -> l.substring(l.lastIndexOf(',') + 1)).toList(), compared.out());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(env, "results", sweepId, runId).code(), "a run in a comparison");
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(env, "results", sweepId, sweepId, "--html").code());

        // --merge: the sweep split into two (one method each) and read as one gives the one sweep's tables; both
        // halves attach to the runs above: Emb's have the same overrides, and FT's sweep, which cannot carry
        // align.epochs (an Emb key), is the same as FT's runs above, which left that key out
        List<String> wholeIds = r.out().lines().skip(1).map(l -> l.split(",")[9]).sorted().toList();
        List<String> halfIds = new ArrayList<>();
        String[] halves = new String[2];
        for (int h = 0; h < 2; h++) {
            Path half = tmp.resolve("half-" + h + ".yaml");
            // (not named cli-*: a later test resolves the prefix sweep-cli to the one sweep above)
            String text = Files.readString(spec).replace("name: cli-test", "name: merge-half-" + h)
                    .replace("methods: [ft, emb]", h == 0 ? "methods: [ft]" : "methods: [emb]");
            Files.writeString(half, h == 0 ? text.replace(", align.epochs: 1", "") : text);
            Cli.Result hr = Cli.run(env, "sweep", half.toString(), "--wait", "--format", "json", "--out",
                    out.toString());
            assertEquals(0, hr.code(), hr.toString());
            JsonNode done = Verb.JSON.readTree(hr.out().lines().reduce((a, b) -> b).orElseThrow());
            halves[h] = done.get("workflowId").asText();
            done.get("result").get("rows").forEach(row -> halfIds.add(row.get("runId").asText()));
        }
        assertEquals(wholeIds, halfIds.stream().sorted().toList(), "the halves' runs are the whole sweep's runs");
        Cli.Result merged = Cli.run(env, "results", halves[0], halves[1], "--merge", "--format", "json", "--out",
                out.toString());
        assertEquals(0, merged.code(), merged.toString());
        JsonNode m = Verb.JSON.readTree(merged.out());
        assertEquals(stats.get("summary"), m.get("summary"), "merged halves = the whole sweep");
        assertEquals(stats.get("paired"), m.get("paired"));
        assertEquals(List.of(), Verb.JSON.convertValue(m.get("differingKeys"), List.class));
        assertTrue(m.get("sweepId").asText().startsWith("merged-"), m.toString());
        assertTrue(Files.size(out.resolve(m.get("sweepId").asText()).resolve("metric-by-method.png")) > 1000);
        // a sweep whose runs the first already reports (the same ids) adds nothing: they are one run each
        Cli.Result overlapping = Cli.run(env, "results", sweepId, halves[1], "--merge", "--format", "json", "--out",
                out.toString());
        assertEquals(0, overlapping.code(), overlapping.toString());
        assertEquals(stats.get("summary"), Verb.JSON.readTree(overlapping.out()).get("summary"));
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(env, "results", sweepId, "--merge").code(), "one sweep");
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(env, "results", sweepId, runId, "--merge").code(), "a run");
        for (String half : halves) { // the later tests count this class's runs and sweeps
            assertEquals(0, Cli.run(env, "rm", half).code(), half);
        }

        // the report page: the one the sweep stored, with the table over seeds, every figure and the manifests
        Path page = tmp.resolve("report").resolve("sweep.html");
        Cli.Result html = Cli.run(env, "results", sweepId, "--html", "-o", page.toString(), "--format", "json");
        assertEquals(0, html.code(), html.toString());
        JsonNode report = Verb.JSON.readTree(html.out());
        assertEquals(page.toAbsolutePath().toString(), report.get("report").asText());
        String text = Files.readString(page);
        assertEquals(stack.store().getText("sweeps/" + sweepId + "/report.html"), text);
        // the two sweep plots, the curves, the probe curve and the t-SNE panels (Darcy is dense: no discrepancy)
        assertEquals(5, text.split("src=\"data:image/png;base64,", -1).length - 1, "every figure inline");
        assertFalse(text.contains("http://") || text.contains("https://") || text.contains("<script"), text);
        for (String method : new String[]{"ft", "emb"}) {
            double[] test = new double[2];
            int i = 0;
            for (JsonNode row : report.get("rows")) {
                assertTrue(text.contains("<td>" + row.get("runId").asText() + "</td>"), row.toString());
                assertTrue(text.contains("href=\"s3://mona/runs/" + row.get("runId").asText() + "/manifest.json\""));
                if (row.get("method").asText().equals(method)) {
                    test[i++] = row.get("testMetric").asDouble();
                }
            }
            double mean = (test[0] + test[1]) / 2;
            double sd = Math.abs(test[0] - test[1]) / Math.sqrt(2); // sample sd of two values
            String cell = String.format(java.util.Locale.ROOT, "<td>%s</td><td>RELATIVE_L2</td><td>2</td><td>0</td>"
                    + "<td>0</td><td>%.4g ± %.4g</td>", method, mean, sd);
            assertTrue(text.contains(cell), cell + " in " + text);
        }
        Cli.Result defaultPlace = Cli.run(env, "results", sweepId, "--html", "--out", out.toString());
        assertEquals(0, defaultPlace.code(), defaultPlace.toString());
        Path placed = out.resolve(sweepId).resolve("report.html").toAbsolutePath();
        assertTrue(defaultPlace.out().contains("report: " + placed), defaultPlace.out());
        assertEquals(text, Files.readString(placed));
        // a sweep stored before report pages existed: the verb builds the same page and leaves the store as it was
        // (the verb always builds the page from the stored runs, so a sweep from older code gets today's tables)
        stack.store().delete("sweeps/" + sweepId + "/report.html");
        assertEquals(0, Cli.run(env, "results", sweepId, "--html", "-o", page.toString()).code());
        assertEquals(text, Files.readString(page));
        assertFalse(stack.store().exists("sweeps/" + sweepId + "/report.html"), "a read-only verb wrote the store");
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(env, "results", sweepId, "-o", page.toString()).code(),
                "-o names the page: without --html it is a mistake");
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(env, "results", runId, "--html").code(), "a run has no page");

        // what a scheduler keeps of the same (attached, finished) sweep: the last stdout line, the whole result
        Cli.Result json = Cli.run(env, "sweep", spec.toString(), "--wait", "--format", "json", "--out",
                out.toString());
        assertEquals(0, json.code(), json.toString());
        JsonNode last = Verb.JSON.readTree(json.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(sweepId, last.get("workflowId").asText());
        assertEquals("COMPLETED", last.get("status").asText());
        assertEquals(4, last.get("result").get("rows").size(), json.out());
    }

    @Test
    @Order(5)
    void lsFiltersByTaskMethodStateSweepAndTime() throws Exception {
        // a run that fails at once on a user error only a stage finds: the workers of this JVM's local stack see no
        // offline data (the sizes a run asks for are checked before it is submitted)
        System.setProperty(OfflineData.ENV, Files.createDirectories(tmp.resolve("no-offline-data")).toString());
        Cli.Result failed;
        try {
            failed = Cli.run(env, "run", "offline-dna", "--method", "ft", "--seed", "2", "--set", "limit=12",
                    "--wait", "--format", "json");
        } finally {
            System.clearProperty(OfflineData.ENV);
        }
        assertEquals(ExitCodes.BAD_INPUT, failed.code(), failed.toString());
        String failedId = Verb.JSON.readTree(failed.out().lines().reduce((a, b) -> b).orElseThrow())
                .get("workflowId").asText();

        assertEquals(List.of(failedId), ls("--task", "OFFLINE-DNA"));
        assertEquals(List.of(failedId), ls("--state", "failed"));
        assertEquals(List.of(cancelledId), ls("--state", "canceled"));
        assertEquals(List.of(), ls("--state", "running"));
        List<String> emb = ls("--method", "EMB");
        assertTrue(emb.contains(runId) && emb.contains(sweepId) && !emb.contains(cancelledId), emb.toString());
        assertEquals(3, emb.stream().filter(id -> id.contains("-emb-")).count(), emb.toString());
        List<String> sweep = ls("--sweep", sweepId.substring(0, sweepId.length() - 3));
        assertEquals(5, sweep.size(), sweep.toString());
        assertTrue(sweep.contains(sweepId) && !sweep.contains(runId), sweep.toString());
        assertEquals(List.of(sweepId), ls("--sweep", sweepId, "--state", "completed", "--task", "offline-pde-darcy",
                "--method", "ft").stream().filter(id -> id.startsWith("sweep-")).toList());
        List<String> all = ls();
        assertEquals(all, ls("--since", "1h"));
        assertEquals(all, ls("--since", "2000-01-01"));
        assertEquals(List.of(), ls("--since", "2999-01-01T00:00:00Z"));
        assertEquals(List.of(failedId), ls("--task", "offline-dna", "--state", "failed", "--method", "ft",
                "--since", "10m"));

        // the table shows state, start, duration, metric and size
        Cli.Result table = Cli.run(env, "ls", "--state", "completed", "--task", "offline-pde-darcy");
        assertEquals(0, table.code(), table.toString());
        String line = table.out().lines().filter(l -> l.endsWith(runId)).findFirst().orElseThrow();
        assertTrue(line.matches("run\\s+completed\\s+20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\d+m\\d\\ds\\s+"
                + "\\S+ [0-9.e+-]+\\s+[0-9.]+ [kMG]B\\s+" + runId), line);
        JsonNode row = jsonRow(runId);
        assertTrue(row.get("seconds").asLong() >= 1, row.toString());
        assertTrue(row.get("bytes").asLong() > 100_000, row.toString());
        assertTrue(row.get("value").isNumber() && row.get("metric").asText().length() > 0, row.toString());
        Cli.Result csv = Cli.run(env, "ls", "--format", "csv", "--sweep", sweepId);
        assertEquals(0, csv.code(), csv.toString());
        assertTrue(csv.out().contains("\"4 runs, 0 failed\""), csv.out());

        for (String[] bad : new String[][]{{"--state", "lost"}, {"--since", "yesterday"}, {"--method", "sgd"},
                {"--task", "no-such-task"}}) {
            Cli.Result r = Cli.run(env, "ls", bad[0], bad[1]);
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
            assertTrue(r.err().contains(bad[1]), r.err());
        }
        assertEquals(ExitCodes.NOT_FOUND, Cli.run(env, "ls", "--sweep", "sweep-nope").code());
    }

    @Test
    @Order(6)
    void idPrefixesResolveInEveryVerbAndFormatsAreHonouredOrRejected() throws Exception {
        String prefix = runId.substring(0, runId.lastIndexOf('-') + 3); // transfer-...-s4-<2 digits of the digest>
        Cli.Result status = Cli.run(env, "status", prefix);
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains(runId), status.out());
        assertEquals(0, Cli.run(env, "watch", prefix, "--format", "json").code());
        assertEquals(runId, Verb.JSON.readTree(Cli.run(env, "results", prefix, "--format", "json").out())
                .get("runId").asText());
        Cli.Result cancel = Cli.run(env, "cancel", prefix, "--format", "json");
        assertEquals(runId, Verb.JSON.readTree(cancel.out()).get("workflowId").asText(), cancel.toString());
        assertEquals(0, Cli.run(env, "export", prefix, "-o", tmp.resolve("p.onnx").toString()).code());
        assertTrue(Files.size(tmp.resolve("p.onnx")) > 10_000);
        assertEquals(sweepId, Verb.JSON.readTree(Cli.run(env, "results", "sweep-cli", "--format", "json",
                "--out", tmp.resolve("p").toString()).out()).get("sweepId").asText());

        for (String verb : new String[]{"status", "watch", "results", "cancel", "export"}) {
            Cli.Result ambiguous = Cli.run(env, verb, "transfer-offline-pde-darcy");
            assertEquals(ExitCodes.BAD_INPUT, ambiguous.code(), verb + ": " + ambiguous);
            // 6 (the --merge check's half sweeps attached to the sweep's runs: no ids of their own)
            assertTrue(ambiguous.err().contains("'transfer-offline-pde-darcy' starts 6 ids: ")
                    && ambiguous.err().contains(runId), ambiguous.err());
            Cli.Result none = Cli.run(env, verb, "transfer-zzz");
            assertEquals(ExitCodes.NOT_FOUND, none.code(), verb + ": " + none);
        }

        for (String[] args : new String[][]{{"status", runId, "--format", "csv"},
                {"watch", runId, "--format", "markdown"}, {"cancel", runId, "--format", "csv"},
                {"export", runId, "--format", "markdown"}, {"results", runId, "--format", "csv"},
                {"run", "offline-dna", "-m", "ft", "--dry-run", "--format", "csv"}}) {
            Cli.Result r = Cli.run(env, args);
            assertEquals(ExitCodes.BAD_INPUT, r.code(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains("does not write") || r.err().contains("table or json"), r.err());
            assertEquals("", r.out(), "nothing done before the format is refused");
        }
        for (String f : new String[]{"table", "json", "csv", "markdown"}) {
            assertEquals(0, Cli.run(env, "ls", "--format", f).code(), f);
            assertEquals(0, Cli.run(env, "results", sweepId, "--format", f, "--out", tmp.resolve("p").toString())
                    .code(), f);
        }
    }

    @Test
    @Order(7)
    void watchEndsWithTheFinalStateInEveryBar() throws Exception {
        Cli.Result r = Cli.run(env, args(new String[]{"run", "offline-pde-darcy", "--method", "emb", "--seed", "6",
                "--format", "json"}, SMALL));
        assertEquals(0, r.code(), r.toString());
        String id = Verb.JSON.readTree(r.out()).get("workflowId").asText();
        Map<String, List<String>> rendered = new java.util.concurrent.ConcurrentHashMap<>();
        List<Object> snapshots = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger bars = new java.util.concurrent.atomic.AtomicInteger();
        String status = Watcher.follow(stack.client(), id, true, 300L, new java.io.PrintWriter(
                new java.io.StringWriter()), snapshots::add, () -> {
                    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
                    rendered.put("bar" + bars.getAndIncrement(), lines);
                    return new me.tongfei.progressbar.DelegatingProgressBarConsumer(lines::add);
                });
        assertEquals("COMPLETED", status);
        String stages = last(rendered.get("bar0")), epochs = last(rendered.get("bar1"));
        assertTrue(stages.startsWith("stages 100%") && stages.contains(" 7/7 ") && stages.contains("completed"),
                stages);
        assertTrue(epochs.startsWith("epochs 100%") && epochs.contains(" 2/2 ") && epochs.contains("finetune done")
                && !epochs.contains("loss"), epochs);
        for (int i = 1; i < snapshots.size(); i++) {
            assertNotEquals(snapshots.get(i - 1), snapshots.get(i), "a JSON line only when something changed");
        }
        Cli.Result json = Cli.run(env, "watch", id, "--format", "json");
        assertEquals(1, json.out().lines().count(), "a finished run: one snapshot, " + json.out());
    }

    @Test
    @Order(8)
    void retentionGcAndRmNeverTouchARunningRun() throws Exception {
        // the finished run kept its newest fine-tuning checkpoint only (which carries the best weights)
        List<String> kept = keys("runs/" + runId + "/checkpoints/");
        assertTrue(kept.stream().anyMatch(k -> k.contains("/epoch-002/")), kept.toString());
        assertTrue(kept.stream().noneMatch(k -> k.contains("/epoch-001/")), kept.toString());

        Cli.Result r = Cli.run(env, "run", "offline-pde-darcy", "--method", "ft", "--seed", "12", "--set",
                "limit=12", "--set", "batch=4", "--set", "epochs=500", "--set", "source.samples=20", "--set",
                "source.limit=600", "--set", "source.epochs=1", "--format", "json");
        String id = Verb.JSON.readTree(r.out()).get("workflowId").asText();
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (keys("runs/" + id + "/checkpoints/").size() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(500); // until it has two epochs' checkpoints
        }
        // the run writes on meanwhile: the newest checkpoint folder's objects may still be uploading under a
        // temporary name (s3proxy's), which the finished upload replaces, so it is left out of what must stay
        List<String> own = keys("runs/" + id + "/");
        String newest = own.stream().filter(k -> k.matches(".*/checkpoints/epoch-\\d+/.*"))
                .map(k -> k.replaceAll("(.*/checkpoints/epoch-\\d+/).*", "$1")).max(String::compareTo).orElseThrow();
        List<String> inputs = new java.util.ArrayList<>(own.stream().filter(k -> !k.startsWith(newest)).toList());
        inputs.addAll(keys("datasets/"));
        inputs.addAll(keys("sources/"));
        assertTrue(inputs.stream().anyMatch(k -> k.contains("/epoch-001/")), inputs.toString());

        JsonNode dry = Verb.JSON.readTree(Cli.run(env, "gc", "--dry-run", "--older-than", "0s", "--format", "json")
                .out());
        assertTrue(dry.get("running").toString().contains(id), dry.toString());
        for (JsonNode d : dry.get("deleted")) {
            assertFalse(inputs.contains(d.get("key").asText()), "a running run's input listed: " + d);
        }
        Cli.Result gc = Cli.run(env, "gc", "--older-than", "0s");
        assertEquals(0, gc.code(), gc.toString());
        List<String> lost = inputs.stream().filter(k -> !keys("").contains(k)).toList();
        assertEquals(List.of(), lost, "gc deleted a running run's input: " + gc);
        Cli.Result refused = Cli.run(env, "rm", id);
        assertEquals(ExitCodes.NOT_FINISHED, refused.code(), refused.toString());
        assertTrue(keys("").containsAll(inputs));

        assertEquals(0, Cli.run(env, "cancel", id).code());
        // the run ends once its attempt has stopped (within about 0.8 heartbeat timeouts of 60 s)
        assertEquals(ExitCodes.RUN_FAILED, Cli.run(env, "watch", id, "--timeout", "150").code());
        Cli.Result listed = Cli.run(env, "gc", "--dry-run", "--older-than", "0s");
        assertTrue(listed.out().contains("runs/" + id + "/checkpoints/epoch-001/"), listed.out());
        assertTrue(listed.out().lines().reduce((a, b) -> b).orElseThrow().startsWith("would delete "), listed.out());
        assertFalse(keys("runs/" + id + "/").isEmpty(), "a dry run deletes nothing");
        JsonNode collected = Verb.JSON.readTree(Cli.run(env, "gc", "--older-than", "0s", "--format", "json").out());
        List<String> gone = new java.util.ArrayList<>();
        collected.get("deleted").forEach(d -> gone.add(d.get("key").asText()));
        assertTrue(gone.contains("runs/" + id + "/manifest.json") || gone.contains("runs/" + id
                + "/checkpoints/latest.json"), "a cancelled run older than the cutoff is collected: " + gone);
        assertTrue(java.util.Collections.disjoint(keys(""), gone), "gc deletes what it lists");
        assertFalse(keys("datasets/").isEmpty());

        Cli.Result rm = Cli.run(env, "rm", sweepId, "--format", "json");
        assertEquals(0, rm.code(), rm.toString());
        assertEquals(List.of(), keys("sweeps/" + sweepId + "/"));
        for (JsonNode child : json("--sweep", sweepId)) {
            if (child.get("kind").asText().equals("run")) {
                assertEquals(List.of(), keys("runs/" + child.get("id").asText() + "/"), child.toString());
            }
        }
        assertFalse(keys("runs/" + runId + "/").isEmpty(), "a run outside the sweep stays");
    }

    private static List<String> keys(String prefix) {
        return stack.store().list(prefix).stream().map(dev.mona.activities.store.ArtifactStore.Entry::key).toList();
    }

    private static String last(List<String> lines) {
        assertNotNull(lines, "bar never drawn");
        return lines.get(lines.size() - 1).strip();
    }

    /** The ids {@code ls --format json} lists with these filters. */
    private static List<String> ls(String... filters) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        json(filters).forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    private static JsonNode json(String... filters) throws Exception {
        Cli.Result r = Cli.run(env, args(new String[]{"ls", "--format", "json"}, filters));
        assertEquals(0, r.code(), r.toString());
        return Verb.JSON.readTree(r.out());
    }

    private static JsonNode jsonRow(String id) throws Exception {
        for (JsonNode n : json()) {
            if (n.get("id").asText().equals(id)) return n;
        }
        throw new AssertionError(id + " not listed");
    }
}
