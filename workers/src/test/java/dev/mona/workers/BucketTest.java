package dev.mona.workers;

import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.StorageAccessException;
import dev.mona.activities.store.StoreConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/** Bucket creation on a real s3proxy: idempotent between racing processes, never done by a read. */
class BucketTest {
    @TempDir
    static Path dir;
    static EmbeddedS3 s3;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "test", "test-secret-123", "a free port");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static ArtifactStore store(String bucket) {
        return new ArtifactStore(new StoreConfig(s3.endpoint(), bucket, "test", "test-secret-123", "us-east-1"));
    }

    @Test
    void concurrentCreationOfAFreshBucketSucceedsEverywhere() throws Exception {
        // an orchestrator and a GPU worker starting together: both see no bucket, both create it; repeated over
        // fresh buckets so that the creations really interleave
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                String bucket = "race-" + i;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> both = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    ArtifactStore st = store(bucket);
                    both.add(pool.submit(() -> {
                        together.await();
                        st.ensureBucket();
                        return null;
                    }));
                }
                for (Future<?> f : both) {
                    f.get(); // a BucketAlreadyOwnedByYou of the loser would surface here
                }
                store(bucket).putText("k", "v", "text/plain");
                assertEquals("v", store(bucket).getText("k"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readsOfAMissingBucketFailNamingItAndCreateNothing() {
        List<Consumer<ArtifactStore>> reads = List.of(s -> s.list("runs/"), s -> s.get("runs/x/manifest.json"),
                s -> s.exists("runs/x/manifest.json"), s -> s.download("runs/x/y", dir.resolve("y"), "a test folder"));
        for (Consumer<ArtifactStore> read : reads) {
            StorageAccessException e = assertThrows(StorageAccessException.class, () -> read.accept(
                    store("monna-typo")));
            assertTrue(e.getMessage().contains("'monna-typo'") && e.getMessage().contains("MONA_S3_BUCKET"),
                    e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("s3").resolve("monna-typo")), "a read created the bucket");
        ArtifactStore writer = store("monna-new");
        writer.putText("k", "v", "text/plain");
        assertTrue(Files.isDirectory(dir.resolve("s3").resolve("monna-new")), "a write creates the bucket");
    }
}
