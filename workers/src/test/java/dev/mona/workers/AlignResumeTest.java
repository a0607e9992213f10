package dev.mona.workers;

import dev.mona.activities.Json;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.offline.OfflineData;
import dev.mona.workflows.RetryTuning;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferResult;
import dev.mona.workflows.stage.StageHeartbeat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A GPU worker in a second JVM is killed ({@code kill -9}) during MoNA's stage 1 on a catalogue task; the retried
 * attempt, on a new worker, resumes from the newest stage-1 checkpoint in the store, so at most one checkpoint
 * interval is recomputed, and the result equals an uninterrupted run's to the bit. Real sockets: the port-bound Temporal server and s3proxy on 127.0.0.1.
 */
@Tag("slow")
class AlignResumeTest {
    @TempDir
    static Path dir;
    static Cluster cluster;
    static Process worker;

    @BeforeAll
    static void start() throws Exception {
        try {
            OfflineData.fromEnvironment().fashionMnistDir();
        } catch (RuntimeException e) {
            Assumptions.abort("Fashion-MNIST is not installed (run infra/setup.sh): " + e.getMessage());
        }
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
    void killedWorkerResumesMonaFromItsLastStageOneCheckpoint() throws Exception {
        int steps = 150; // meta-steps enough that the kill lands inside stage 1 on a quiet machine
        TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.MONA, 3, "", SeparateWorkerTest.tiny(
                "epochs", "1", "align.steps", String.valueOf(steps)), false, new RetryTuning(3, 300, 2, 20, 10));
        Submissions.Submission s = Submissions.transfer(cluster.client, r);
        StageHeartbeat seen = waitForCheckpointedAlignment(s.workflowId(), Duration.ofSeconds(240));
        worker.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no goodbye to the server
        ArtifactStore store = cluster.store;
        String pointer = ArtifactKeys.alignCheckpoints(s.workflowId()) + "latest.json";
        int newest = ((Number) Json.read(store.getText(pointer), Map.class).get("step")).intValue();
        String key = seen.checkpointKey();
        int seenCheckpoint = Integer.parseInt(key.substring(key.lastIndexOf("step-") + 5, key.length() - 1));
        assertTrue(newest >= seenCheckpoint && newest < steps, "checkpoint " + key + " was in the store, the "
                + "pointer names step " + newest);
        worker = cluster.startGpuWorker();
        TransferResult res = cluster.client.newUntypedWorkflowStub(s.workflowId())
                .getResult(300, TimeUnit.SECONDS, TransferResult.class);

        Map<?, ?> last = Json.read(store.getText(pointer), Map.class);
        assertEquals(steps, ((Number) last.get("step")).intValue(), "the last meta-step is checkpointed");
        // the retry started from the newest checkpoint written before the kill: at most one interval recomputed
        assertEquals(List.of(newest), last.get("resumedFrom"));
        assertTrue(Double.isFinite(res.testMetric()), res.toString());
        // summary.csv: a stage-1 row every step, those after the resume point from the later attempt
        List<String[]> rows = store.getText(ArtifactKeys.summary(s.workflowId())).lines()
                .filter(l -> l.startsWith("align,")).map(l -> l.split(",", -1)).toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, steps).mapToObj(String::valueOf).toList(),
                rows.stream().map(f -> f[2]).toList());
        int previous = 1;
        for (String[] f : rows) {
            int attempt = Integer.parseInt(f[7]);
            assertTrue(attempt >= previous && (Integer.parseInt(f[2]) <= newest || attempt > 1), String.join(",", f));
            previous = attempt;
        }
        byte[] resumed = store.get(res.artifacts().get("embedder"));

        // the same run again, uninterrupted and recomputed: on CPU the stage-1 result is the same to the bit. A
        // heartbeat timeout the test's own load does not reach; a retry after a store hiccup would resume from this
        // run's own checkpoints only (--no-cache never resumes from the first run's)
        TransferRequest again = new TransferRequest(r.task(), r.method(), r.seed(), r.source(), r.overrides(), true,
                new RetryTuning(60, 300, 2, 20, 10));
        Submissions.Submission second = Submissions.transfer(cluster.client, again);
        assertEquals(s.workflowId(), second.workflowId());
        assertFalse(second.attached(), "--no-cache starts a new run of the finished one");
        TransferResult fresh = cluster.client.newUntypedWorkflowStub(s.workflowId())
                .getResult(300, TimeUnit.SECONDS, TransferResult.class);
        assertArrayEquals(store.get(fresh.artifacts().get("embedder")), resumed,
                "stage 1 resumed after a kill -9 ends where an uninterrupted stage 1 ends");
    }

    /** The first heartbeat of MoNA's stage 1 that names a checkpoint in the store. */
    static StageHeartbeat waitForCheckpointedAlignment(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Progress.Snapshot snap = Progress.describe(cluster.client, id);
            assertEquals("RUNNING", snap.status(), "the run ended before stage 1 wrote a checkpoint");
            for (Progress.PendingStage p : snap.pending()) {
                if (p.activityType().equals("AlignEmbedder") && p.heartbeat() != null
                        && p.heartbeat().checkpointKey() != null) {
                    assertEquals("align", p.heartbeat().stage());
                    return p.heartbeat();
                }
            }
            Thread.sleep(100);
        }
        fail("stage 1 never wrote a checkpoint");
        return null;
    }
}
