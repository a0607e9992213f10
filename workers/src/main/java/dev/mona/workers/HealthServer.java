package dev.mona.workers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The worker's probe endpoints for Kubernetes / Docker ({@code MONA_HEALTH_PORT}): {@code GET /healthz} answers 200
 * while the process lives; {@code GET /readyz} answers 200 once connected to Temporal with the workers started, 503
 * before that and while draining.
 */
public final class HealthServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /** Serves on {@code bind:port} ({@code port} 0 = any free port) until closed. */
    public static HealthServer start(InetAddress bind, int port, BooleanSupplier ready) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(bind, port), 8);
            s.createContext("/healthz", ex -> answer(ex, 200, "ok"));
            s.createContext("/readyz", ex -> {
                boolean r = ready.getAsBoolean();
                answer(ex, r ? 200 : 503, r ? "ready" : "not ready");
            });
            s.setExecutor(null); // the server's own single thread: probes are rare and answer at once
            s.start();
            LOG.info("health endpoints on {}:{} (/healthz, /readyz)", bind.getHostAddress(),
                    s.getAddress().getPort());
            return new HealthServer(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the health endpoints on " + bind.getHostAddress() + ":"
                    + port + " (MONA_HEALTH_PORT): " + e.getMessage(), e);
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = (body + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
