package dev.mona.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole Swin encoder (patch embedding, shifted and plain windows, patch merging, final norm) against an
 * independent NumPy port of Hugging Face's forward ({@code swin_reference.py} next to the fixture, which it wrote).
 */
class SwinReferenceTest {
    @Test
    void matchesTheNumPyPortOfHuggingFaceSwin() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("swin_reference.json")) {
            doc = new ObjectMapper().readTree(in);
        }
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
