package dev.mona.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole Swin encoder (patch embedding, shifted and plain windows, patch merging, final norm) against an
 * independent NumPy port of Hugging Face's forward ({@code swin_reference.py} in the test resources), which this
 * test runs to write the fixture (weights are never committed). Needs Debian's {@code python3-numpy}
 * ({@code infra/setup.sh} installs it); skipped with a message otherwise.
 */
class SwinReferenceTest {
    @Test
    void matchesTheNumPyPortOfHuggingFaceSwin() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(writeFixture().toFile());
        JsonNode c = doc.get("config");
        SwinConfig cfg = new SwinConfig(c.get("imageSize").asInt(), c.get("patchSize").asInt(),
                c.get("inChannels").asInt(), c.get("embedDim").asInt(), ints(c.get("depths")), ints(c.get("heads")),
                c.get("windowSize").asInt(), c.get("mlpRatio").asDouble(), c.get("eps").asDouble());
        SwinEncoder swin = cfg.build();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            doc.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), array(m, e.getValue())));
            // same names, same order, same shapes as the Hugging Face port
            assertEquals(new ArrayList<>(swin.parameterShapes().keySet()), new ArrayList<>(params.keySet()));
            params.forEach((k, v) -> assertEquals(swin.parameterShapes().get(k), v.getShape(), k));
            Params p = Params.of(params);
            NDArray tokens = swin.sourceEmbedder().forward(p, array(m, doc.get("image")));
            assertArrayEquals(doubles(doc.get("tokens")), tokens.toDoubleArray(), 1e-10);
            NDArray out = swin.forward(p, tokens);
            assertEquals(array(m, doc.get("output")).getShape(), out.getShape());
            assertArrayEquals(doubles(doc.get("output")), out.toDoubleArray(), 1e-9);
        }
    }

    /** Runs the NumPy port in a temporary directory and returns the JSON it wrote. */
    private Path writeFixture() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3 with numpy (run infra/setup.sh)");
        Path dir = Files.createTempDirectory("swin-reference");
        Path script = dir.resolve("swin_reference.py");
        try (InputStream in = getClass().getResourceAsStream("swin_reference.py")) {
            Files.copy(in, script);
        }
        Process proc = new ProcessBuilder(python.toString(), script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String log = new String(proc.getInputStream().readAllBytes());
        boolean done = proc.waitFor(120, TimeUnit.SECONDS);
        Assumptions.assumeFalse(done && log.contains("No module named 'numpy'"),
                "needs python3-numpy (run infra/setup.sh)");
        assertEquals(0, done ? proc.exitValue() : -1, "swin_reference.py failed: " + log);
        return dir.resolve("swin_reference.json");
    }

    private static List<Integer> ints(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static double[] doubles(JsonNode n) {
        JsonNode data = n.get("data");
        double[] d = new double[data.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = data.get(i).asDouble();
        }
        return d;
    }

    private static NDArray array(NDManager m, JsonNode n) {
        JsonNode s = n.get("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asLong();
        }
        return m.create(doubles(n), new Shape(shape));
    }
}
