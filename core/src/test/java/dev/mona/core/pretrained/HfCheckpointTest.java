package dev.mona.core.pretrained;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.engine.Engines;
import dev.mona.core.io.SafetensorsWriter;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.SwinEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading Hugging Face checkpoints written here with the real parameter names of {@code SwinForImageClassification}
 * (prefix {@code swin.}, {@code relative_position_index} buffers, a classifier) for a small configuration.
 */
class HfCheckpointTest {
    @TempDir
    Path dir;

    /** The names and shapes transformers' SwinForImageClassification writes, spelled out for a 2-stage config. */
    static Map<String, long[]> swinCheckpointShapes(SwinConfig c, int classes) {
        Map<String, long[]> s = new LinkedHashMap<>();
        int p = c.patchSize();
        s.put("swin.embeddings.patch_embeddings.projection.weight", new long[]{c.embedDim(), c.inChannels(), p, p});
        s.put("swin.embeddings.patch_embeddings.projection.bias", new long[]{c.embedDim()});
        s.put("swin.embeddings.norm.weight", new long[]{c.embedDim()});
        s.put("swin.embeddings.norm.bias", new long[]{c.embedDim()});
        int res = c.imageSize() / p;
        for (int i = 0; i < c.depths().size(); i++) {
            long dim = (long) c.embedDim() << i;
            int w = Math.min(c.windowSize(), res);
            for (int j = 0; j < c.depths().get(i); j++) {
                String b = "swin.encoder.layers." + i + ".blocks." + j + ".";
                s.put(b + "layernorm_before.weight", new long[]{dim});
                s.put(b + "layernorm_before.bias", new long[]{dim});
                s.put(b + "attention.self.relative_position_bias_table",
                        new long[]{(2L * w - 1) * (2L * w - 1), c.heads().get(i)});
                s.put(b + "attention.self.relative_position_index", new long[]{(long) w * w, (long) w * w});
                for (String q : List.of("query", "key", "value")) {
                    s.put(b + "attention.self." + q + ".weight", new long[]{dim, dim});
                    s.put(b + "attention.self." + q + ".bias", new long[]{dim});
                }
                s.put(b + "attention.output.dense.weight", new long[]{dim, dim});
                s.put(b + "attention.output.dense.bias", new long[]{dim});
                s.put(b + "layernorm_after.weight", new long[]{dim});
                s.put(b + "layernorm_after.bias", new long[]{dim});
                long hidden = (long) (dim * c.mlpRatio());
                s.put(b + "intermediate.dense.weight", new long[]{hidden, dim});
                s.put(b + "intermediate.dense.bias", new long[]{hidden});
                s.put(b + "output.dense.weight", new long[]{dim, hidden});
                s.put(b + "output.dense.bias", new long[]{dim});
            }
            if (i < c.depths().size() - 1) {
                String d = "swin.encoder.layers." + i + ".downsample.";
                s.put(d + "reduction.weight", new long[]{2 * dim, 4 * dim});
                s.put(d + "norm.weight", new long[]{4 * dim});
                s.put(d + "norm.bias", new long[]{4 * dim});
                res /= 2;
            }
        }
        long out = (long) c.embedDim() << (c.depths().size() - 1);
        s.put("swin.layernorm.weight", new long[]{out});
        s.put("swin.layernorm.bias", new long[]{out});
        s.put("classifier.weight", new long[]{classes, out});
        s.put("classifier.bias", new long[]{classes});
        return s;
    }

    static Path write(Path file, Map<String, long[]> shapes, NDManager m) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            Shape s = new Shape(e.getValue());
            arrays.put(e.getKey(), e.getKey().endsWith("relative_position_index")
                    ? m.zeros(s, DataType.INT64)
                    : m.arange((float) s.size()).mul(1e-3f).add(k).reshape(s));
            k++;
        }
        SafetensorsWriter.write(file, arrays, Map.of("format", "pt"));
        return file;
    }

    @Test
    void swinCheckpointLoadsWithItsRealNames() {
        SwinConfig c = SwinConfig.tiny();
        SwinEncoder enc = c.build();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Map<String, long[]> shapes = swinCheckpointShapes(c, 7);
            Path f = write(dir.resolve("model.safetensors"), shapes, m);
            Params p = HfCheckpoint.load(f, enc, SwinConfig.CHECKPOINT_PREFIX,
                    HfCheckpoint::swinIgnored, m);
            assertEquals(enc.parameterShapes().keySet(), p.names());
            // value check: the file's 'swin.layernorm.bias' arrives as 'layernorm.bias'
            int index = List.copyOf(shapes.keySet()).indexOf("swin.layernorm.bias");
            assertEquals(index + 1e-3f, p.get("layernorm.bias").toFloatArray()[1], 1e-6f);
            // the loaded encoder runs
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            NDArray y = enc.forward(p, enc.sourceEmbedder().forward(p, x));
            assertEquals(c.outputWidth(), y.getShape().get(2));
        }
    }

    @Test
    void aWrongShapeNamesTheParameterAndBothShapes() {
        SwinConfig c = SwinConfig.tiny();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Map<String, long[]> shapes = swinCheckpointShapes(c, 7);
            shapes.put("swin.encoder.layers.1.blocks.0.attention.self.query.weight", new long[]{32, 16});
            Path f = write(dir.resolve("bad.safetensors"), shapes, m);
            PretrainedWeightsException e = assertThrows(PretrainedWeightsException.class,
                    () -> HfCheckpoint.load(f, c.build(), "swin.", HfCheckpoint::swinIgnored, m));
            assertTrue(e.getMessage().contains("swin.encoder.layers.1.blocks.0.attention.self.query.weight")
                    && e.getMessage().contains("[32, 16]") && e.getMessage().contains("[32, 32]"), e.getMessage());

            Map<String, long[]> missing = swinCheckpointShapes(c, 7);
            missing.remove("swin.layernorm.weight");
            Path g = write(dir.resolve("missing.safetensors"), missing, m);
            PretrainedWeightsException e2 = assertThrows(PretrainedWeightsException.class,
                    () -> HfCheckpoint.load(g, c.build(), "swin.", HfCheckpoint::swinIgnored, m));
            assertTrue(e2.getMessage().contains("swin.layernorm.weight"), e2.getMessage());
        }
    }

    @Test
    void fetchesFromTheConfiguredEndpointThroughTheContentCache() throws Exception {
        SwinConfig c = SwinConfig.tiny();
        String before = System.getProperty(HfCheckpoint.ENDPOINT_ENV);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            byte[] body = java.nio.file.Files.readAllBytes(write(dir.resolve("served.safetensors"),
                    swinCheckpointShapes(c, 3), m));
            java.util.concurrent.atomic.AtomicReference<String> asked = new java.util.concurrent.atomic.AtomicReference<>();
            server.createContext("/", ex -> {
                asked.set(ex.getRequestURI().getPath());
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
            System.setProperty(HfCheckpoint.ENDPOINT_ENV, "http://127.0.0.1:" + server.getAddress().getPort());
            dev.mona.core.fetch.DatasetFetcher fetcher = new dev.mona.core.fetch.DatasetFetcher(
                    new dev.mona.core.fetch.ContentCache(dir.resolve("cache")),
                    new dev.mona.core.fetch.Downloader(dev.mona.core.fetch.DownloadOptions.defaults()),
                    new dev.mona.core.fetch.Mirrors(Map.of(), Map.of()),
                    new dev.mona.core.fetch.SafeExtractor(dev.mona.core.fetch.ExtractionLimits.defaults()));
            Path file = HfFiles.fetch(SourceEncoder.SWIN_BASE.repo(), "main", List.of("model.safetensors"), fetcher)
                    .file("model.safetensors");
            assertEquals("/microsoft/swin-base-patch4-window7-224-in22k/resolve/main/model.safetensors", asked.get());
            Params p = HfCheckpoint.load(file, c.build(), "swin.", HfCheckpoint::swinIgnored, m);
            assertEquals(c.build().parameterShapes().size(), p.size());
        } finally {
            server.stop(0);
            if (before == null) {
                System.clearProperty(HfCheckpoint.ENDPOINT_ENV);
            } else {
                System.setProperty(HfCheckpoint.ENDPOINT_ENV, before);
            }
        }
    }

    @Test
    void theEndpointIsConfigurable() {
        String before = System.getProperty(HfCheckpoint.ENDPOINT_ENV);
        try {
            System.setProperty(HfCheckpoint.ENDPOINT_ENV, "http://mirror.local:8080/hf/");
            assertEquals(List.of("http://mirror.local:8080/hf/microsoft/swin-base-patch4-window7-224-in22k/resolve/"
                    + "main/model.safetensors"), HfFiles.urls(HfCheckpoint.endpoint(), SourceEncoder.SWIN_BASE.repo(),
                    "main", "model.safetensors"));
            assertEquals(List.of("http://mirror.local:8080/hf/FacebookAI/roberta-base/resolve/main/config.json"),
                    HfFiles.urls(HfCheckpoint.endpoint(), SourceEncoder.ROBERTA_BASE.repo(), "main", "config.json"));
        } finally {
            if (before == null) {
                System.clearProperty(HfCheckpoint.ENDPOINT_ENV);
            } else {
                System.setProperty(HfCheckpoint.ENDPOINT_ENV, before);
            }
        }
    }
}
