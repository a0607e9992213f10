package dev.mona.workers;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workflows.RetryTuning;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.SweepResult;
import dev.mona.workflows.SweepRow;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferResult;
import dev.mona.workflows.stage.StageHeartbeat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real sockets end to end: the port-bound Temporal server and s3proxy on 127.0.0.1, the orchestrator in this JVM and
 * the GPU worker in a second JVM, which is killed ({@code kill -9}) during fine-tuning: the run resumes from its last
 * checkpoint and ends with the model of an uninterrupted run, to the bit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeparateWorkerTest {
    @TempDir
    static Path dir;
    static Cluster cluster;
    static Process worker;
    static final RetryTuning FAST = new RetryTuning(3, 300, 2, 20, 10);
    /** Fine-tuning epochs of the kill -9 test. */
    static final int EPOCHS = 12;
    /** A catalogue task through core at tiny settings (as activities' CoreStagesTest). */
    static final Map<String, String> TINY = Map.of("limit", "12", "batch", "4", "source.samples", "20",
            "source.limit", "600", "source.epochs", "1", "probe.epochs", "5");

    /** {@link #TINY} plus {@code more}. */
    static Map<String, String> tiny(String... more) {
        Map<String, String> out = new java.util.TreeMap<>(TINY);
        for (int i = 0; i < more.length; i += 2) {
            out.put(more[i], more[i + 1]);
        }
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster(dir);
        worker = cluster.startGpuWorker();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void sweepRunsThroughTheSeparateWorker() throws Exception {
        SweepRequest r = new SweepRequest("it", List.of("offline-pde-darcy"), List.of(1L, 2L),
                List.of(TransferMethod.FT, TransferMethod.EMB), "", tiny("epochs", "2", "align.epochs", "1"), 2, false,
                FAST);
        Submissions.Submission s = Submissions.sweep(cluster.client, r);
        assertFalse(s.attached());
        SweepResult res = cluster.client.newUntypedWorkflowStub(s.workflowId())
                .getResult(300, TimeUnit.SECONDS, SweepResult.class);
        assertEquals(4, res.rows().size());
        for (SweepRow row : res.rows()) {
            assertEquals("completed", row.status(), row.toString());
            assertTrue(row.testMetric() >= 0 && row.testMetric() <= 100, row.toString());
        }
        ArtifactStore store = cluster.store;
        assertTrue(store.exists(res.csvKey()));
        assertEquals(5, store.getText(res.csvKey()).lines().count(), "header + 4 rows");
        // the sweep's figures (with the fine-tuning curves) and the paper's analysis figures (Darcy is dense: no
        // discrepancy figure)
        assertEquals(List.of("metric-by-method.png", "probe-error-by-epoch.png", "probe-vs-epochs.png",
                "train-val-curves.png", "tsne-panels.png"), res.plotKeys().stream().map(k -> k.substring(k.lastIndexOf('/') + 1)).sorted()
                .toList(), res.plotKeys().toString());
        for (String k : res.plotKeys()) {
            byte[] png = store.get(k);
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
        }
        String run = res.rows().get(0).runId();
        String manifest = store.getText(ArtifactKeys.manifest(run));
        for (String field : List.of("\"inputs\"", "\"resolvedConfig\"", "\"gitCommit\"", "\"libraries\"",
                "\"hardware\"", "\"training\"", "\"times\"", "\"seed\"")) {
            assertTrue(manifest.contains(field), field + " missing from manifest " + manifest);
        }
        assertEquals(3, store.getText(ArtifactKeys.summary(run)).lines().count(), "header + 2 epochs");
        assertTrue(manifest.contains("\"epochs\" : \"2\""), "the run's own configuration: " + manifest);
    }

    @Test
    @Order(2)
    void killedWorkerResumesFromItsLastCheckpoint() throws Exception {
        // epochs of about a second on a quiet machine and more heartbeats (sent at most every 80 % of the 3-second
        // timeout) than epochs: the kill must land inside the fine-tune, on core's Trainer checkpoints
        TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.FT, 3, "", tiny("limit", "96",
                "epochs", String.valueOf(EPOCHS)), false, new RetryTuning(3, 300, 2, 20, 10));
        Submissions.Submission s = Submissions.transfer(cluster.client, r);
        StageHeartbeat seen = waitForFineTuneEpoch(s.workflowId(), 3, Duration.ofSeconds(120));
        worker.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no goodbye to the server
        worker = cluster.startGpuWorker();
        TransferResult res = cluster.client.newUntypedWorkflowStub(s.workflowId())
                .getResult(300, TimeUnit.SECONDS, TransferResult.class);

        assertFalse(res.resumedFrom().isEmpty(), "the fine-tune should have been resumed: " + res);
        int resumedAt = res.resumedFrom().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // at kill time epoch seen.epoch() was in progress with epoch seen.epoch()-1 checkpointed
        assertTrue(resumedAt >= seen.epoch(), "resumed at epoch " + resumedAt + " but epoch " + (seen.epoch() - 1)
                + " was checkpointed: more than one epoch recomputed");
        ArtifactStore store = cluster.store;
        // every epoch was checkpointed (summary.csv below); a completed run keeps only the newest folder
        assertTrue(store.exists(ArtifactKeys.checkpoint(s.workflowId(), EPOCHS) + "state.json"),
                "checkpoint " + EPOCHS + " lost");
        List<String> summary = store.getText(ArtifactKeys.summary(s.workflowId())).lines().skip(1).toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, EPOCHS).mapToObj(String::valueOf).toList(),
                summary.stream().map(l -> l.split(",")[1]).toList());
        // summary.csv's attempt column: the epochs before the first resume from attempt 1, the rest from later ones
        // (a loaded machine may lose a second attempt too), never going back to an earlier attempt
        int firstResume = res.resumedFrom().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int previous = 1;
        for (String line : summary) {
            String[] f = line.split(",");
            int attempt = Integer.parseInt(f[f.length - 1]);
            assertTrue(Integer.parseInt(f[1]) < firstResume ? attempt == 1 : attempt > 1, line + " " + res);
            assertTrue(attempt >= previous, line + " " + res);
            previous = attempt;
        }
        Map<?, ?> latest = dev.mona.activities.Json.read(store.getText(ArtifactKeys.checkpoints(s.workflowId())
                + "latest.json"), Map.class);
        assertEquals(res.resumedFrom(), latest.get("resumedFrom"), latest.toString());
        for (String k : res.artifacts().values()) {
            assertTrue(store.exists(k), "artifact " + k + " lost");
        }
        byte[] resumed = store.get(res.artifacts().get("checkpoint"));

        // the same run again, uninterrupted and recomputed: on CPU the fine-tuned model is the same to the bit. A
        // heartbeat timeout the test's own load does not reach; a retry after a store hiccup would resume from this
        // run's own checkpoints only (--no-cache never resumes from the first run's)
        TransferRequest again = new TransferRequest(r.task(), r.method(), r.seed(), r.source(), r.overrides(), true,
                new RetryTuning(60, 300, 2, 20, 10));
        Submissions.Submission second = Submissions.transfer(cluster.client, again);
        assertEquals(s.workflowId(), second.workflowId());
        assertFalse(second.attached(), "--no-cache starts a new run of the finished one");
        TransferResult fresh = cluster.client.newUntypedWorkflowStub(s.workflowId())
                .getResult(300, TimeUnit.SECONDS, TransferResult.class);
        assertEquals(ArtifactKeys.run(s.workflowId()) + "model/final.safetensors", fresh.artifacts().get("checkpoint"));
        assertArrayEquals(store.get(fresh.artifacts().get("checkpoint")), resumed,
                "fine-tuning resumed after a kill -9 ends where an uninterrupted fine-tuning ends");
    }

    @Test
    @Order(3)
    void aSecondIdenticalSubmitAttaches() throws Exception {
        TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.FT, 5, "", tiny("epochs", "3"),
                false, FAST);
        Submissions.Submission first = Submissions.transfer(cluster.client, r);
        Submissions.Submission second = Submissions.transfer(cluster.client, r);
        assertFalse(first.attached());
        assertTrue(second.attached());
        assertEquals(first.workflowId(), second.workflowId());
        TransferResult a = cluster.client.newUntypedWorkflowStub(first.workflowId())
                .getResult(240, TimeUnit.SECONDS, TransferResult.class);
        // after completion a third submit still attaches to the finished run (no duplicate work)
        Submissions.Submission third = Submissions.transfer(cluster.client, r);
        assertTrue(third.attached());
        TransferResult b = cluster.client.newUntypedWorkflowStub(third.workflowId())
                .getResult(10, TimeUnit.SECONDS, TransferResult.class);
        assertEquals(a, b);
    }

    static StageHeartbeat waitForFineTuneEpoch(String id, int epoch, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Progress.Snapshot snap = Progress.describe(cluster.client, id);
            assertEquals("RUNNING", snap.status(), "the run ended before fine-tuning reached epoch " + epoch);
            for (Progress.PendingStage p : snap.pending()) {
                if (p.activityType().equals("FineTune") && p.heartbeat() != null
                        && p.heartbeat().epoch() >= epoch && p.heartbeat().checkpointKey() != null) {
                    return p.heartbeat();
                }
            }
            Thread.sleep(100);
        }
        fail("fine-tuning never reached epoch " + epoch);
        return null;
    }
}
