package dev.mona.core.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A real HTTP server on 127.0.0.1 (ephemeral port) whose behaviour per request is scripted by the test. */
final class TestServer implements AutoCloseable {
    /** What to do with the n-th request (0-based) for a path. */
    interface Script {
        void handle(int n, HttpExchange ex) throws IOException;
    }

    final HttpServer server;
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http");
        t.setDaemon(true);
        return t;
    });

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void on(String path, Script script) {
        int[] count = {0};
        server.createContext(path, ex -> {
            int n;
            synchronized (count) {
                n = count[0]++;
            }
            ranges.add(path + " " + (ex.getRequestHeaders().getFirst("Range") == null ? "-"
                    : ex.getRequestHeaders().getFirst("Range")));
            try {
                script.handle(n, ex);
            } finally {
                ex.close();
            }
        });
    }

    /** Serves {@code body} honouring a {@code Range: bytes=N-} header (206) or in full (200). */
    static void serve(HttpExchange ex, byte[] body) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, from, body.length - from);
        }
    }

    /** Announces the whole body, sends only the first {@code cut} bytes, then drops the connection. */
    static void cutAfter(HttpExchange ex, byte[] body, int cut) throws IOException {
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, cut);
        out.flush();
        // closing the exchange with bytes missing makes the server drop the connection
    }

    /** Sends headers and a few bytes, then goes silent until the test ends. */
    void stall(HttpExchange ex, byte[] body, int sent) throws IOException {
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, sent);
        out.flush();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
