package dev.mona.core.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloaderTest {
    private static final byte[] BODY = new byte[300_000];

    static {
        new Random(7).nextBytes(BODY);
    }

    private static final String SHA = Digests.sha256(BODY);

    private static DownloadOptions fast() {
        return new DownloadOptions(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(400), 10_000_000,
                3, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    @Test
    void resumesWithARangeRequestAfterACutConnection(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/ninapro_train.npy", (n, ex) -> {
                if (n == 0) {
                    TestServer.cutAfter(ex, BODY, 100_000);
                } else {
                    TestServer.serve(ex, BODY);
                }
            });
            Path target = dir.resolve("ninapro_train.npy");
            String digest = new Downloader(fast()).download(s.url("/ninapro_train.npy"), target, SHA, BODY.length);
            assertEquals(SHA, digest);
            assertArrayEquals(BODY, Files.readAllBytes(target));
            assertEquals(2, s.ranges.size(), s.ranges.toString());
            assertEquals("/ninapro_train.npy -", s.ranges.get(0));
            // the second request asks for exactly what is missing
            assertTrue(s.ranges.get(1).matches("/ninapro_train.npy bytes=\\d+-"), s.ranges.get(1));
            long resumedAt = Long.parseLong(s.ranges.get(1).replaceAll(".*bytes=(\\d+)-", "$1"));
            assertTrue(resumedAt > 0 && resumedAt <= 100_000, "resumed at " + resumedAt);
            assertFalse(Files.exists(dir.resolve("ninapro_train.npy.part")));
        }
    }

    @Test
    void partFileLeftByAnEarlierRunIsResumed(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/f", (n, ex) -> TestServer.serve(ex, BODY));
            Path target = dir.resolve("f");
            Files.write(dir.resolve("f.part"), java.util.Arrays.copyOf(BODY, 123_456));
            new Downloader(fast()).download(s.url("/f"), target, SHA, -1);
            assertEquals(List.of("/f bytes=123456-"), s.ranges);
            assertArrayEquals(BODY, Files.readAllBytes(target));
        }
    }

    @Test
    void checksumMismatchIsNonRetryableNamesBothDigestsAndDeletesTheBytes(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/x.npz", (n, ex) -> TestServer.serve(ex, BODY));
            String wrong = "0".repeat(64);
            Path target = dir.resolve("deepsea_filtered.npz");
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                    () -> new Downloader(fast()).download(s.url("/x.npz"), target, wrong, -1));
            assertEquals(wrong, e.expectedDigest());
            assertEquals(SHA, e.actualDigest());
            assertTrue(e.getMessage().contains("deepsea_filtered.npz") && e.getMessage().contains(SHA));
            assertFalse(e.retryable());
            assertEquals(1, s.ranges.size());
            assertFalse(Files.exists(target));
            assertFalse(Files.exists(dir.resolve("deepsea_filtered.npz.part")));
        }
    }

    @Test
    void truncatedFileOfKnownSizeIsCorrupt(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            // a server that claims the short file is complete
            s.on("/short", (n, ex) -> TestServer.serve(ex, java.util.Arrays.copyOf(BODY, 1000)));
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                    () -> new Downloader(fast()).download(s.url("/short"), dir.resolve("s"), null, BODY.length));
            assertTrue(e.getMessage().contains("300000 bytes") && e.getMessage().contains("1000 bytes"), e.getMessage());
        }
    }

    @Test
    void notFoundIsTypedAndNotRetried(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/gone", (n, ex) -> ex.sendResponseHeaders(404, -1));
            RemoteNotFoundException e = assertThrows(RemoteNotFoundException.class,
                    () -> new Downloader(fast()).download(s.url("/gone"), dir.resolve("g"), null, -1));
            assertEquals(404, e.status());
            assertFalse(e.retryable());
            assertEquals(1, s.ranges.size());
        }
    }

    @Test
    void forbiddenIsNotRetriedAndPointsAtMirrors(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/nb360", (n, ex) -> ex.sendResponseHeaders(403, -1));
            DownloadException e = assertThrows(DownloadException.class,
                    () -> new Downloader(fast()).download(s.url("/nb360"), dir.resolve("g"), null, -1));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("MONA_MIRROR"));
            assertEquals(1, s.ranges.size());
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoff(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/flaky", (n, ex) -> {
                if (n < 2) {
                    ex.sendResponseHeaders(503, -1);
                } else {
                    TestServer.serve(ex, BODY);
                }
            });
            new Downloader(fast()).download(s.url("/flaky"), dir.resolve("f"), SHA, -1);
            assertEquals(3, s.ranges.size());
        }
    }

    @Test
    void aStalledServerIsDetectedAndTheDownloadResumesElsewhere(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/stall", (n, ex) -> {
                if (n == 0) {
                    s.stall(ex, BODY, 50_000);
                } else {
                    TestServer.serve(ex, BODY);
                }
            });
            long t0 = System.nanoTime();
            new Downloader(fast()).download(s.url("/stall"), dir.resolve("s"), SHA, BODY.length);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 5, "took " + seconds + " s");
            assertEquals(2, s.ranges.size());
            assertTrue(s.ranges.get(1).contains("bytes="), s.ranges.toString());
        }
    }

    @Test
    void aServerThatAlwaysStallsFailsRetryablyInBoundedTime(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/dead", (n, ex) -> s.stall(ex, BODY, n == 0 ? 10 : 0));
            long t0 = System.nanoTime();
            DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(fast().withAttempts(2,
                    Duration.ofMillis(10))).download(s.url("/dead"), dir.resolve("d"), null, -1));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.retryable());
            assertTrue(e.getMessage().contains("stalled"), e.getMessage());
            assertTrue(seconds < 5, "took " + seconds + " s");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/silent", (n, ex) -> {
                try {
                    s.release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long t0 = System.nanoTime();
            DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(fast()
                    .withResponseTimeout(Duration.ofMillis(300)).withAttempts(2, Duration.ofMillis(10)))
                    .download(s.url("/silent"), dir.resolve("x"), null, -1));
            assertTrue(e.retryable());
            assertTrue(e.getMessage().contains("no response within"), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 5);
            assertEquals(2, s.ranges.size());
        }
    }

    @Test
    void oversizeFilesAreRefused(@TempDir Path dir) throws IOException {
        try (TestServer s = new TestServer()) {
            s.on("/big", (n, ex) -> TestServer.serve(ex, BODY));
            DownloadException e = assertThrows(DownloadException.class, () -> new Downloader(fast().withMaxBytes(1000))
                    .download(s.url("/big"), dir.resolve("b"), null, -1));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("over the limit"));
        }
    }
}
