package dev.mona.activities;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.CheckpointRetention;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The checkpoint retention rule over a real s3proxy socket. */
class CheckpointRetentionTest {
    @TempDir
    static Path dir;
    static S3ProxyFixture s3;
    static ArtifactStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyFixture.start(dir);
        store = s3.store("retention");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    /** Epoch folders 1..n (epoch 10 sorts after 9 by number, not by name) and a pointer to {@code pointed}. */
    private static void checkpoints(String run, int n, int pointed) {
        for (int e = 1; e <= n; e++) {
            String base = ArtifactKeys.checkpoint(run, e);
            store.putText(base + "state.json", "{}", "application/json");
            store.putText(base + "best.safetensors", "x", "application/octet-stream");
        }
        store.putText(ArtifactKeys.checkpoints(run) + "latest.json", "{\"epoch\": " + pointed + ", \"folder\": \""
                + ArtifactKeys.checkpoint(run, pointed) + "\"}", "application/json");
        store.putText(ArtifactKeys.alignCheckpoints(run) + "step-010/params.safetensors", "p", "application/octet-stream");
        store.putText(ArtifactKeys.alignCheckpoints(run) + "step-020/params.safetensors", "p", "application/octet-stream");
    }

    private static List<String> surplus(String run, int keep) {
        return CheckpointRetention.surplus(store, run, keep).stream().map(ArtifactStore.Entry::key).toList();
    }

    @Test
    void keepsTheNewestFolderOfEachStageAndThePointer() {
        checkpoints("r1", 10, 10);
        List<String> drop = surplus("r1", 1);
        assertEquals(2 * 9 + 1, drop.size(), drop.toString());
        assertTrue(drop.stream().noneMatch(k -> k.contains("epoch-010/") || k.endsWith("latest.json")
                || k.contains("step-020/")), drop.toString());
        assertTrue(drop.contains("runs/r1/align-checkpoints/step-010/params.safetensors"), drop.toString());
        assertTrue(drop.contains("runs/r1/checkpoints/epoch-001/best.safetensors"), drop.toString());
    }

    @Test
    void keepIsConfigurableAndTheFolderThePointerNamesStays() {
        checkpoints("r2", 5, 2);
        List<String> drop = surplus("r2", 2);
        assertTrue(drop.stream().noneMatch(k -> k.contains("epoch-005/") || k.contains("epoch-004/")
                || k.contains("epoch-002/")), drop.toString());
        assertEquals(List.of("runs/r2/checkpoints/epoch-001/best.safetensors",
                "runs/r2/checkpoints/epoch-001/state.json", "runs/r2/checkpoints/epoch-003/best.safetensors",
                "runs/r2/checkpoints/epoch-003/state.json"), drop.stream().filter(k -> k.contains("/epoch-"))
                .sorted().toList());
        assertThrows(IllegalArgumentException.class, () -> surplus("r2", 0));
        drop.forEach(store::delete);
        assertEquals(List.of(), surplus("r2", 2), "applying the rule again drops nothing");
    }
}
