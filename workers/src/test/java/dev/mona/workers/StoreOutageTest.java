package dev.mona.workers;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.workflows.RetryTuning;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferResult;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** s3proxy stopped for 30 s in the middle of a fine-tune: the stages fail, back off, retry and the run completes.
 * Tagged slow: about 60 s. */
@org.junit.jupiter.api.Tag("slow")
class StoreOutageTest {
    @TempDir
    Path dir;

    @Test
    void runSurvivesThirtySecondsWithoutTheStore() throws Exception {
        try (Cluster cluster = new Cluster(dir)) {
            WorkerFactory gpu = Workers.create(cluster.client, cluster.store, Workers.Role.GPU, 1);
            gpu.start();
            // unlimited attempts, backoff capped at 4 s: the outage costs ~15 failed attempts
            RetryTuning tuning = new RetryTuning(2, 500, 4, 0, 10);
            TransferRequest r = new TransferRequest("offline-pde-darcy", TransferMethod.FT, 11, "",
                    SeparateWorkerTest.tiny("limit", "48", "epochs", "6"), false, tuning);
            Submissions.Submission s = Submissions.transfer(cluster.client, r);
            SeparateWorkerTest.cluster = cluster;
            SeparateWorkerTest.waitForFineTuneEpoch(s.workflowId(), 2, Duration.ofSeconds(120));
            cluster.s3.close();
            long down = System.nanoTime();
            Thread.sleep(30_000);
            Progress.Snapshot during = Progress.describe(cluster.client, s.workflowId());
            assertEquals("RUNNING", during.status());
            cluster.restartS3();
            TransferResult res = cluster.client.newUntypedWorkflowStub(s.workflowId())
                    .getResult(120, TimeUnit.SECONDS, TransferResult.class);
            assertTrue(System.nanoTime() - down > 30e9);
            assertEquals(6, res.epochs());
            for (String k : res.artifacts().values()) {
                assertTrue(cluster.store.exists(k), "artifact " + k + " lost");
            }
            List<String> epochs = cluster.store.getText(ArtifactKeys.summary(s.workflowId())).lines().skip(1)
                    .map(l -> l.split(",")[1]).toList();
            assertEquals(List.of("1", "2", "3", "4", "5", "6"), epochs);
            gpu.shutdownNow();
        } finally {
            SeparateWorkerTest.cluster = null;
        }
    }
}
