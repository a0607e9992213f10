package dev.mona.core.task;

import com.sun.net.httpserver.HttpServer;
import dev.mona.core.data.TaskData;
import dev.mona.core.fetch.ChecksumMismatchException;
import dev.mona.core.fetch.ContentCache;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.fetch.DownloadOptions;
import dev.mona.core.fetch.Downloader;
import dev.mona.core.fetch.ExtractionLimits;
import dev.mona.core.fetch.Mirrors;
import dev.mona.core.fetch.SafeExtractor;
import dev.mona.core.io.formats.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From catalogue name to splits through a mirror served over real HTTP, the content cache and the loader. */
class TaskFetchTest {

    private static DatasetFetcher fetcher(Path cache, Mirrors mirrors) {
        DownloadOptions o = new DownloadOptions(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
                1 << 24, 2, Duration.ofMillis(5), Duration.ofMillis(10));
        return new DatasetFetcher(new ContentCache(cache), new Downloader(o), mirrors,
                new SafeExtractor(ExtractionLimits.defaults()));
    }

    @Test
    void ninaproFromAnHttpMirror(@TempDir Path dir) throws IOException {
        Path served = Files.createDirectories(dir.resolve("www/ninapro"));
        for (String part : new String[]{"train", "val", "test"}) {
            double[] v = new double[2 * 52 * 16];
            Files.write(served.resolve("ninapro_" + part + ".npy"), NpyWriter.npy(v, new long[]{2, 52, 16}, "<f4", false, 2));
            Files.write(served.resolve("label_" + part + ".npy"), NpyWriter.npy(new double[]{3, 4}, new long[]{2}, "|u1", false, 1));
        }
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestURI().getPath());
            Path f = dir.resolve("www").resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(dir.resolve("www")) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                byte[] b = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
            }
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/ninapro";
            DatasetFetcher fetcher = fetcher(dir.resolve("cache"), new Mirrors(Map.of("nb360-ninapro", base), Map.of()));
            TaskData d = TaskCatalog.loadData("nb360-ninapro", fetcher, LoadOptions.defaults());
            assertEquals(2, d.test().size());
            assertEquals(4f, d.validation().y().data()[1]);
            assertEquals(6, requests.size());
            assertEquals(6, fetcher.cache().manifest().size());
            // a second load is served from the cache
            TaskCatalog.loadData("nb360-ninapro", fetcher, LoadOptions.defaults());
            assertEquals(6, requests.size());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void pdebenchFilesAreCheckedAgainstThePublishedMd5(@TempDir Path dir) throws IOException {
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Files.writeString(mirror.resolve("1D_Advection_Sols_beta0.4.hdf5"), "not the published file");
        DatasetFetcher fetcher = fetcher(dir.resolve("cache"),
                new Mirrors(Map.of("pdebench-advection", mirror.toUri().toString()), Map.of()));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> TaskCatalog.load("pdebench-advection", fetcher, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("d595bbfd2c659df995a93cd40d6ea568"), e.getMessage());
        // the wrong file is not kept (nor its digest pinned)
        assertTrue(fetcher.cache().manifest().isEmpty(), fetcher.cache().manifest().toString());
    }
}
