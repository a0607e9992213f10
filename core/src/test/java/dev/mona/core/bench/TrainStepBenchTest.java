package dev.mona.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.Losses;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainStepBenchTest {
    private static final Logger LOG = LoggerFactory.getLogger(TrainStepBenchTest.class);

    /** A two-layer perceptron of configurable width: enough arrays per step to expose a per-step leak. */
    record Mlp(int in, int hidden, int out) implements Module {
        @Override
        public Map<String, Shape> parameterShapes() {
            Map<String, Shape> m = new LinkedHashMap<>();
            m.put("fc1.weight", new Shape(hidden, in));
            m.put("fc1.bias", new Shape(hidden));
            m.put("fc2.weight", new Shape(out, hidden));
            m.put("fc2.bias", new Shape(out));
            return m;
        }

        @Override
        public Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
            Map<String, NDArray> p = new LinkedHashMap<>();
            parameterShapes().forEach((k, s) -> p.put(k, manager.randomNormal(0, 0.05f, s, dtype)));
            return Params.of(p);
        }

        @Override
        public NDArray forward(Params p, NDArray x) {
            NDArray h = Linear.linear(x, p.get("fc1.weight"), p.get("fc1.bias")).head().tanh();
            return Linear.linear(h, p.get("fc2.weight"), p.get("fc2.bias")).head();
        }
    }

    static BenchWorkload mlp(int batch, int in, int hidden, int classes) {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[batch * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = r.nextInt(classes);
        }
        return new BenchWorkload("mlp", new Mlp(in, hidden, classes), new DataSplit(
                new HostTensor(x, new long[] {batch, in}), new HostTensor(y, new long[] {batch})),
                Losses.of(LossKind.CROSS_ENTROPY));
    }

    @Test
    void reportsFiguresAsJson() throws Exception {
        TrainStepResult r = TrainStepBench.run(mlp(8, 16, 32, 4), Device.cpu(), 1, 3);
        assertEquals(3, r.steps());
        assertEquals(8, r.batch());
        assertTrue(r.msPerStep() > 0 && r.samplesPerS() > 0, r.toString());
        assertTrue(r.peakRssMb() > 10, "VmHWM read: " + r.peakRssMb());
        JsonNode j = new ObjectMapper().readTree(r.toJson());
        assertEquals("mlp", j.get("size").asText());
        assertEquals("cpu()", j.get("device").asText());
        assertEquals(r.msPerStep(), j.get("ms_per_step").asDouble(), 0.01);
        assertTrue(j.has("samples_per_s") && j.has("peak_rss_mb") && j.has("threads"));
        assertEquals("float32", j.get("precision").asText());
        try (var bf16 = dev.mona.core.engine.Precision.scope(dev.mona.core.engine.Precision.BF16, Device.cpu())) {
            assertEquals("bf16", TrainStepBench.run(mlp(8, 16, 32, 4), Device.cpu(), 1, 1).precision());
        }
        assertThrows(IllegalArgumentException.class, () -> BenchSizes.workload("vit-huge"));
    }

    @Test
    @Tag("gpu")
    void runsOnTheGpuWhenOneIsPresent() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.mona.core.engine.Engines.pytorch().getGpuCount() > 0,
                "no GPU");
        TrainStepResult r = TrainStepBench.run("vit-tiny", 5);
        LOG.warn("gpu: {}", r.toJson());
        assertTrue(r.device().startsWith("gpu"), r.toJson());
    }

    @Test
    void everySizeBuildsAModelThatAcceptsItsBatch() {
        for (String size : BenchSizes.names()) {
            BenchWorkload w = BenchSizes.workload(size);
            assertTrue(w.model().parameterShapes().size() > 10, size);
            assertTrue(w.batchSize() > 0, size);
        }
        // the reference size runs end to end (one timed step)
        TrainStepResult r = TrainStepBench.run(BenchSizes.workload("vit-tiny"), Device.cpu(), 0, 1);
        assertEquals(32, r.batch());
    }

    /** Runs {@link MemoryProbe} in a child JVM with a pre-touched heap; returns its JSON line. */
    static JsonNode probe(String size, int early, int late) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(), size,
                Integer.toString(early), Integer.toString(late));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "memory probe failed: " + out);
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        return new ObjectMapper().readTree(last);
    }

    /** Memory flatness: resident memory after 500 fine-tune steps within 10% of that after 50. */
    @Test
    @Tag("slow")
    void residentMemoryStaysFlatFrom50To500Steps() throws Exception {
        for (String size : BenchSizes.names().contains("vit-tiny") ? new String[] {"mlp", "vit-tiny"}
                : new String[] {"mlp"}) {
            JsonNode m = probe(size, 50, 500);
            LOG.warn("memory: {}", m);
            assertTrue(Math.abs(m.get("growth_percent").asDouble()) < 10, m.toString());
        }
    }
}
