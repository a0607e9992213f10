package dev.mona.core.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetFetcherTest {
    private static final byte[] V1 = "satellite version 1".getBytes();
    private static final byte[] V2 = "satellite version 2!".getBytes();

    private static DatasetFetcher fetcher(Path cache, Mirrors mirrors) {
        DownloadOptions o = new DownloadOptions(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
                1 << 20, 2, Duration.ofMillis(5), Duration.ofMillis(10));
        return new DatasetFetcher(new ContentCache(cache), new Downloader(o), mirrors,
                new SafeExtractor(ExtractionLimits.defaults()));
    }

    @Test
    void mirrorOrderFollowsConfigThenEnvironment() {
        DataFile f = new DataFile("satellite_train.npy", List.of("https://pde-xd.s3.amazonaws.com/satellite/satellite_train.npy"), -1, null);
        Mirrors m = new Mirrors(Map.of("nb360-satellite", "https://cfg.example/sat/", "*", "https://all.example"),
                Map.of("MONA_MIRROR_NB360_SATELLITE", "https://env.example/s", "MONA_MIRROR", "https://envall.example"));
        assertEquals(List.of(URI.create("https://cfg.example/sat/satellite_train.npy"),
                URI.create("https://env.example/s/satellite_train.npy"),
                URI.create("https://all.example/nb360-satellite/satellite_train.npy"),
                URI.create("https://envall.example/nb360-satellite/satellite_train.npy"),
                URI.create("https://pde-xd.s3.amazonaws.com/satellite/satellite_train.npy")), m.urls("nb360-satellite", f));
        assertEquals("MONA_MIRROR_PDEBENCH_DIFFUSION_REACTION_2D", Mirrors.variableFor("pdebench-diffusion-reaction-2d"));
    }

    @Test
    void digestIsRecordedAtFirstDownloadAndEnforcedAfter(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            byte[][] serving = {V1};
            s.on("/orig/satellite_train.npy", (n, ex) -> ex.sendResponseHeaders(403, -1));
            s.on("/mirror/satellite_train.npy", (n, ex) -> TestServer.serve(ex, serving[0]));
            DataFile f = new DataFile("satellite_train.npy", List.of(s.url("/orig/satellite_train.npy").toString()), -1, null);
            Mirrors mirrors = new Mirrors(Map.of(), Map.of("MONA_MIRROR_NB360_SATELLITE", s.url("/mirror").toString()));
            DatasetFetcher fetcher = fetcher(dir.resolve("cache"), mirrors);
            Path blob = fetcher.fetch("nb360-satellite", f);
            assertArrayEquals(V1, Files.readAllBytes(blob));
            String digest = Digests.sha256(V1);
            assertEquals(digest, blob.getFileName().toString());
            assertEquals(digest, fetcher.cache().manifest().get("nb360-satellite/satellite_train.npy").sha256());
            // cached: no new request
            int before = s.ranges.size();
            assertEquals(blob, fetcher.fetch("nb360-satellite", f));
            assertEquals(before, s.ranges.size());
            // the mirror now serves other bytes and the cached copy is gone: the recorded digest refuses them
            Files.delete(blob);
            serving[0] = V2;
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                    () -> fetcher.fetch("nb360-satellite", f));
            assertEquals(digest, e.expectedDigest());
            assertEquals(Digests.sha256(V2), e.actualDigest());
        }
    }

    @Test
    void aCachedBlobThatRottedIsDetected(@TempDir Path dir) throws IOException {
        ContentCache cache = new ContentCache(dir);
        Path f = dir.resolve("x");
        Files.write(f, V1);
        Path blob = cache.put("t/x", f, "test");
        Files.write(blob, V2);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> cache.lookup("t/x", null));
        assertTrue(e.getMessage().contains(Digests.sha256(V1)));
        assertTrue(cache.lookup("t/x", null).isEmpty());
    }

    @Test
    void localFolderMirror(@TempDir Path dir) throws IOException {
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Files.write(mirror.resolve("challenge2017.pkl"), V1);
        DataFile f = new DataFile("challenge2017.pkl", List.of(), V1.length, Digests.sha256(V1));
        DatasetFetcher fetcher = fetcher(dir.resolve("cache"), new Mirrors(Map.of("nb360-ecg", mirror.toUri().toString()), Map.of()));
        assertArrayEquals(V1, Files.readAllBytes(fetcher.fetch("nb360-ecg", f)));
    }
}
