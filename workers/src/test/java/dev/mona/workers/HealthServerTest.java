package dev.mona.workers;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HealthServerTest {
    private static int get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    @Test
    void livenessAlwaysReadinessFollowsTheWorkers() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (HealthServer h = HealthServer.start(InetAddress.getLoopbackAddress(), 0, ready::get)) {
            assertEquals(200, get(h.port(), "/healthz"));
            assertEquals(503, get(h.port(), "/readyz"));
            ready.set(true);
            assertEquals(200, get(h.port(), "/readyz"));
            assertEquals(404, get(h.port(), "/nope"));
            ready.set(false); // draining
            assertEquals(503, get(h.port(), "/readyz"));
        }
    }

    @Test
    void closedServerNoLongerAnswers() throws Exception {
        HealthServer h = HealthServer.start(InetAddress.getLoopbackAddress(), 0, () -> true);
        int port = h.port();
        h.close();
        assertThrows(java.io.IOException.class, () -> get(port, "/healthz"));
    }

    @Test
    void localModeBindsTheLoopbackAndRemoteModeAnyAddress() {
        ClusterConfig local = ClusterConfig.load(null, java.util.Map.of("MONA_GPUS", "1", "MONA_DATA_DIR", "/tmp/x"));
        assertEquals(InetAddress.getLoopbackAddress(), WorkerMain.healthBindAddress(local));
        ClusterConfig remote = ClusterConfig.load(null, java.util.Map.of("MONA_GPUS", "1", "TEMPORAL_ADDRESS", "t:7233",
                "MONA_S3_ENDPOINT", "http://s3:9000", "MONA_S3_ACCESS_KEY", "a", "MONA_S3_SECRET_KEY", "b"));
        assertEquals("0.0.0.0", WorkerMain.healthBindAddress(remote).getHostAddress());
    }
}
