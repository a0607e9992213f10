package dev.mona.core.fetch;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/** A token goes to its own host only: not to another host, not across the redirect to a CDN. */
class DownloaderAuthorizationTest {
    @TempDir
    Path dir;

    @Test
    void theTokenReachesItsHostAndNotTheHostARedirectPointsTo() throws Exception {
        byte[] body = "weights".getBytes(StandardCharsets.UTF_8);
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = server.getAddress().getPort();
        server.createContext("/", ex -> {
            seen.add(ex.getRequestHeaders().getFirst("Host").replace(":" + port, "") + ex.getRequestURI().getPath()
                    + " " + ex.getRequestHeaders().getFirst("Authorization"));
            if (ex.getRequestURI().getPath().startsWith("/repo/")) {
                // the hub answers with a redirect to its CDN, another host name
                ex.getResponseHeaders().add("Location", "http://localhost:" + port + "/cdn/blob");
                ex.sendResponseHeaders(302, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        try {
            Downloader d = new Downloader(DownloadOptions.defaults()).withAuthorization("127.0.0.1", "Bearer t0k");
            Path target = dir.resolve("model.safetensors");
            String digest = d.download(URI.create("http://127.0.0.1:" + port + "/repo/model.safetensors"), target,
                    null, -1);
            assertArrayEquals(body, Files.readAllBytes(target));
            assertEquals(Digests.sha256(body), digest);
            assertEquals(List.of("127.0.0.1/repo/model.safetensors Bearer t0k", "localhost/cdn/blob null"), seen);
            seen.clear();
            d.download(URI.create("http://localhost:" + port + "/cdn/blob"), dir.resolve("other"), null, -1);
            assertEquals(List.of("localhost/cdn/blob null"), seen, "another host gets no token");
        } finally {
            server.stop(0);
        }
    }
}
