package dev.mona.activities;

import dev.mona.activities.store.ArtifactNotFoundException;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.StorageAccessException;
import dev.mona.activities.store.StorageUnavailableException;
import dev.mona.activities.store.StoreConfig;
import dev.mona.core.data.HostTensor;
import dev.mona.core.fetch.Digests;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.stage.ProbeResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The artifact store over a real s3proxy socket, the stage cache, the tensor container and the settings. */
class StoreAndCacheTest {
    @TempDir
    static Path dir;
    static S3ProxyFixture s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyFixture.start(dir);
        s3.store("test-bucket");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static ArtifactStore store(String secret) {
        return new ArtifactStore(new StoreConfig(s3.endpoint, "test-bucket", "id", secret, "us-east-1"));
    }

    @Test
    void putGetListAndMissingKeys() {
        ArtifactStore s = store("secret");
        s.putText("runs/a/x.json", "{}", "application/json");
        s.put("runs/a/b/y.bin", new byte[]{1, 2, 3}, "application/octet-stream");
        s.putText("runs/c/z.txt", "z", "text/plain");
        assertArrayEquals(new byte[]{1, 2, 3}, s.get("runs/a/b/y.bin"));
        assertEquals(java.util.List.of("runs/a/b/y.bin", "runs/a/x.json"),
                s.list("runs/a/").stream().map(ArtifactStore.Entry::key).toList());
        assertTrue(s.exists("runs/c/z.txt"));
        assertFalse(s.exists("runs/c/nope"));
        assertThrows(ArtifactNotFoundException.class, () -> s.get("runs/c/nope"));
        assertFalse(s.toString().contains("secret"));
        assertFalse(s.config().toString().contains("secret"));
    }

    @Test
    void wrongCredentialsAndADeadEndpointAreTyped() throws Exception {
        StorageAccessException denied = assertThrows(StorageAccessException.class,
                () -> store("wrong").putText("k", "v", "text/plain"));
        assertTrue(denied.getMessage().contains("credentials"), denied.getMessage());
        int port;
        try (ServerSocket sock = new ServerSocket(0)) {
            port = sock.getLocalPort();
        }
        ArtifactStore dead = new ArtifactStore(new StoreConfig("http://127.0.0.1:" + port, "dead-bucket", "id",
                "secret", "us-east-1"));
        assertThrows(StorageUnavailableException.class, () -> dead.get("k"));
        StorageAccessException badName = assertThrows(StorageAccessException.class, () -> new ArtifactStore(
                new StoreConfig(s3.endpoint, "b", "id", "secret", "us-east-1")).get("k"));
        assertTrue(badName.getMessage().contains("MONA_S3_BUCKET"), badName.getMessage());
    }

    @Test
    void cacheHitsOnlyForIdenticalInputs() {
        ArtifactStore s = store("secret");
        StageCache cache = new StageCache(s);
        String k1 = StageCache.key("probe", "impl-1", Map.of("model", "abc"), Map.of("probe.epochs", "5"));
        assertEquals(k1, StageCache.key("probe", "impl-1", Map.of("model", "abc"), Map.of("probe.epochs", "5")));
        assertNotEquals(k1, StageCache.key("probe", "impl-2", Map.of("model", "abc"), Map.of("probe.epochs", "5")));
        assertNotEquals(k1, StageCache.key("probe", "impl-1", Map.of("model", "abd"), Map.of("probe.epochs", "5")));
        assertNotEquals(k1, StageCache.key("probe", "impl-1", Map.of("model", "abc"), Map.of("probe.epochs", "6")));
        assertTrue(cache.lookup("probe", k1, false, ProbeResult.class).isEmpty());
        s.putText("runs/r/probe/probe.json", "{}", "application/json");
        cache.record("probe", k1, new ProbeResult(12.5, 10, "runs/r/probe/probe.json", "impl-1", false, List.of(), null,
                null, Map.of()));
        ProbeResult hit = cache.lookup("probe", k1, false, ProbeResult.class).orElseThrow();
        assertEquals(12.5, hit.errorBefore());
        assertTrue(hit.cached());
        assertTrue(cache.lookup("probe", k1, true, ProbeResult.class).isEmpty(), "--no-cache must miss");
        String k2 = StageCache.key("probe", "impl-1", Map.of("model", "abe"), Map.of());
        cache.record("probe", k2, new ProbeResult(1, 2, "runs/r/probe/gone.json", "impl-1", false, List.of(), null, null,
                Map.of()));
        assertTrue(cache.lookup("probe", k2, false, ProbeResult.class).isEmpty(), "its artifact is missing: a miss");
    }

    @Test
    void tensorFilesRoundTripAndRejectGarbage() {
        TensorFile f = new TensorFile(Map.of("epoch", "3", "summary", "x".repeat(70_000)),
                Map.of("w", new HostTensor(new float[]{1.5f, -2, 3, Float.MIN_VALUE}, new long[]{2, 2})));
        byte[] b = f.encode();
        TensorFile g = TensorFile.decode(b);
        assertEquals(f.meta(), g.meta());
        assertArrayEquals(f.tensors().get("w").data(), g.tensors().get("w").data());
        assertArrayEquals(new long[]{2, 2}, g.tensors().get("w").shape());
        assertEquals(Digests.sha256(b), Digests.sha256(f.encode()));
        assertThrows(IllegalArgumentException.class, () -> TensorFile.decode(java.util.Arrays.copyOf(b, b.length - 3)));
    }
}
