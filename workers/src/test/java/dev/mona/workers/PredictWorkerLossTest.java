package dev.mona.workers;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.activities.Json;
import dev.mona.activities.stage.CoreModels;
import dev.mona.activities.stage.PredictStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.export.ExportMetadata;
import dev.mona.core.export.OnnxExporter;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NpyReader;
import dev.mona.core.model.TransferModel;
import dev.mona.core.task.spec.TaskSpecFile;
import dev.mona.workflows.PredictRequest;
import dev.mona.workflows.PredictResult;
import dev.mona.workflows.RetryTuning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The production topology (orchestrator here, the GPU worker in its own JVM) runs a prediction job over 6 input
 * files in the store; the worker is killed ({@code kill -9}) once some shards have finished. The job completes on a
 * new worker, every shard finished before the kill keeps its record and output untouched (never computed again),
 * and the outputs hold every input row in input order.
 */
class PredictWorkerLossTest {
    @TempDir
    static Path dir;
    static Cluster cluster;
    static final int FILES = 6;

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** {@code rows} rows of 16 features and a label (the spec's CSV layout). */
    static String csv(int rows, int offset) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < 16; j++) {
            b.append("f").append(j).append(',');
        }
        b.append("label\n");
        for (int i = offset; i < offset + rows; i++) {
            for (int j = 0; j < 16; j++) {
                b.append(String.format(Locale.ROOT, "%.4f", Math.sin(0.3 * j * (i % 3 + 1) + 0.01 * i))).append(',');
            }
            b.append(i % 3).append('\n');
        }
        return b.toString();
    }

    @Test
    void aKilledWorkerLosesNoFinishedShard() throws Exception {
        cluster = new Cluster(dir);
        ArtifactStore store = cluster.store;

        // a spec task and a finished run of it: its manifest and the ONNX export of a freshly initialised model
        Files.writeString(dir.resolve("train.csv"), csv(30, 0));
        Files.writeString(dir.resolve("test.csv"), csv(9, 100));
        Path specFile = dir.resolve("waves.yaml");
        Files.writeString(specFile, "name: waves\nmodality: sequence\ninput: {shape: [1, 16]}\n"
                + "target: {kind: classification, classes: 3}\nnormalize: zscore\nsource: fashion-mnist-vit\n"
                + "data:\n  train: {file: train.csv, y: label}\n  test: {file: test.csv, y: label}\n");
        String task = TaskStage.describe(specFile.toString()).name();
        TaskStage.publish(store, task);
        TaskSpecFile spec = TaskStage.specFile(task).orElseThrow();
        TransferModel model = CoreModels.model(spec.spec(), dev.mona.activities.stage.SourceStage.encoderConfig(
                "fashion-mnist-vit", ""), dev.mona.core.config.ConfigKeys.resolve(new dev.mona.core.config.RunContext(
                spec.spec(), "ft", "fashion-mnist-vit"), Map.of()).targetSeqLen());
        String runId = "transfer-waves-ft-s0-0123456789";
        try (NDManager m = Engines.newManager(Device.cpu())) {
            store.put(ArtifactKeys.onnx(runId), OnnxExporter.export(model, model.initialise(m, DataType.FLOAT32,
                    new SplittableRandom(7)), spec.spec().inputShape(), ExportMetadata.of(spec.spec(), "ft",
                    Map.of())).bytes(), "application/octet-stream");
        }
        store.putText(ArtifactKeys.manifest(runId), Json.write(Map.of("request", Map.of("task", task), "seed", 0)),
                "application/json");
        // input files of different lengths, so that a shard out of order would show
        for (int i = 0; i < FILES; i++) {
            store.putText("inputs/batch/part-" + i + ".csv", csv(20 + i, 1000 * i), "text/csv");
        }

        // started after the export above, so that its health check does not compete with it for the cores
        Process worker = cluster.startGpuWorker();
        PredictRequest r = new PredictRequest(runId, "s3://mona/inputs/batch/", null, 4,
                new RetryTuning(3, 300, 2, 20, 10));
        Submissions.Submission s = Submissions.predict(cluster.client, r);
        String records = ArtifactKeys.predictions(s.workflowId()) + "shards/";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (jsonRecords(store, records).isEmpty()) {
            if (System.nanoTime() > deadline || !worker.isAlive()) {
                String log = Files.readString(dir.resolve("gpu-0.log"));
                fail("no shard finished (in 120 s, or the worker died); the worker's log ends:\n" + log.substring(Math.max(0,
                        log.length() - 4000)));
            }
            Thread.sleep(50);
        }
        worker.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no goodbye to the server
        // every record now in the store was written by the killed worker: a finished shard
        Map<String, String> finished = jsonRecords(store, records);
        assertTrue(finished.size() < FILES, "the worker finished every shard before it was killed: " + finished);
        cluster.startGpuWorker();
        PredictResult res = cluster.client.newUntypedWorkflowStub(s.workflowId())
                .getResult(240, TimeUnit.SECONDS, PredictResult.class);

        // no finished shard was computed again: its record (which names the attempt and the time) is unchanged
        Map<String, String> all = jsonRecords(store, records);
        assertEquals(FILES, all.size(), all.keySet().toString());
        finished.forEach((k, v) -> assertEquals(v, all.get(k), k + " was computed again after it finished"));

        // outputs complete and in input order: shard i holds the predictions of part-i.csv
        PredictStage.Predictor local = PredictStage.open(store, runId);
        assertEquals(FILES, res.outputKeys().size());
        long rows = 0;
        for (int i = 0; i < FILES; i++) {
            Path in = dir.resolve("part-" + i + ".csv");
            Files.writeString(in, csv(20 + i, 1000 * i));
            HostTensor expected = local.predict(local.read(in, null), 64, done -> { });
            Path out = dir.resolve("out-" + i + ".npy");
            store.download(res.outputKeys().get(i), out, "a test folder");
            NdArray got = NpyReader.read(out);
            assertEquals(List.of(20L + i, 3L), List.of(got.shape()[0], got.shape()[1]));
            for (int j = 0; j < expected.data().length; j++) {
                assertEquals(expected.data()[j], got.getDouble(j), 1e-6, "shard " + i + " value " + j);
            }
            rows += 20 + i;
        }
        assertEquals(rows, res.rows());
        Map<?, ?> manifest = Json.read(store.getText(res.manifestKey()), Map.class);
        assertEquals(Map.of("shards", FILES, "rows", (int) rows), manifest.get("counts"));
        List<String> inputs = new ArrayList<>();
        for (Object o : (List<?>) manifest.get("shards")) {
            inputs.add(String.valueOf(((Map<?, ?>) o).get("input")));
            assertTrue(String.valueOf(((Map<?, ?>) o).get("inputSha256")).matches("[0-9a-f]{64}"), o.toString());
        }
        assertEquals(java.util.stream.IntStream.range(0, FILES).mapToObj(i -> "s3://mona/inputs/batch/part-" + i
                + ".csv").toList(), inputs);
        assertEquals(dev.mona.core.fetch.Digests.sha256(store.get(ArtifactKeys.onnx(runId))),
                ((Map<?, ?>) manifest.get("model")).get("sha256"));
    }

    /** The shard records under {@code prefix}: key to content. */
    private static Map<String, String> jsonRecords(ArtifactStore store, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (ArtifactStore.Entry e : store.list(prefix)) {
            if (e.key().endsWith(".json")) {
                out.put(e.key(), store.getText(e.key()));
            }
        }
        return out;
    }
}
