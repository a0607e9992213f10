package dev.mona.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.workers.LocalStack;
import dev.mona.workers.MonaConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
    /** A catalogue task through core at tiny settings (as activities' CoreStagesTest). */
    static final String[] SMALL = {"--set", "limit=12", "--set", "batch=4", "--set", "epochs=2", "--set",
            "source.samples=20", "--set", "source.limit=600", "--set", "source.epochs=1", "--set", "probe.epochs=5",
            "--set", "align.epochs=1"};

    @BeforeAll
    static void start() {
        Path data = tmp.resolve("data");
        env = Map.of("MONA_DATA_DIR", data.toString(), "HOME", tmp.toString());
        MonaConfig cfg = MonaConfig.load(null, env);
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
            found |= x.get("id").asText().equals(runId) && x.get("state").asText().equals("complete");
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
        assertEquals(1, summary.stream().filter(l -> l.startsWith("align,")).count(), "Emb's one warm-up epoch of "
                + "a few steps: one stage-1 row, after its last step: " + summary);
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
        // the export stage checked ONNX Runtime against the trained model on held-out inputs
        assertTrue(manifest.get("results").get("export").get("maxAbsDiff").asDouble() < 1e-4, manifest.toString());
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
        String sweepId = r.err().replaceAll("(?s).*sweep (sweep-cli-test-[0-9a-f]+).*", "$1");
        Cli.Result md = Cli.run(env, "results", sweepId, "--format", "markdown", "--out", out.toString());
        assertEquals(0, md.code(), md.toString());
        assertTrue(md.out().startsWith("| task | method |"), md.out());
        assertTrue(Files.size(out.resolve(sweepId).resolve("metric-by-method.png")) > 1000);
        assertTrue(Files.size(out.resolve(sweepId).resolve("probe-vs-epochs.png")) > 1000);

        // what a scheduler keeps of the same (attached, finished) sweep: the last stdout line, the whole result
        Cli.Result json = Cli.run(env, "sweep", spec.toString(), "--wait", "--format", "json", "--out",
                out.toString());
        assertEquals(0, json.code(), json.toString());
        JsonNode last = Verb.JSON.readTree(json.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(sweepId, last.get("workflowId").asText());
        assertEquals("COMPLETED", last.get("status").asText());
        assertEquals(4, last.get("result").get("rows").size(), json.out());
    }
}
