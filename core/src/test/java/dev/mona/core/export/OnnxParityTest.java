package dev.mona.core.export;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parity check passes a faithful export and rejects, with a typed error, an export that is off. */
class OnnxParityTest {
    static NDManager manager;

    @BeforeAll
    static void start() {
        manager = Engines.newManager(Device.cpu());
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** gelu(x W^T + b) on (B, 4) inputs. */
    record LinearGelu() implements Module {
        @Override
        public Map<String, Shape> parameterShapes() {
            return Map.of("fc.weight", new Shape(3, 4), "fc.bias", new Shape(3));
        }

        @Override
        public Params initialise(NDManager m, DataType dtype, SplittableRandom rng) {
            float[] w = new float[12];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rng.nextGaussian();
            }
            return Params.of(Map.of("fc.weight", m.create(w, new Shape(3, 4)),
                    "fc.bias", m.create(new float[] {0.1f, -0.2f, 0.3f})));
        }

        @Override
        public NDArray forward(Params p, NDArray x) {
            return Activation.gelu(Linear.linear(x, p.get("fc.weight"), p.get("fc.bias")).head());
        }
    }

    private static byte[] export(Params p, float biasShift) {
        OnnxGraph g = new OnnxGraph("lg");
        OnnxLayers l = new OnnxLayers(g);
        HostTensor bias = Weights.of(p, "fc.bias");
        float[] b = bias.data().clone();
        b[1] += biasShift;
        String y = l.gelu(l.linear(g.input("input", 4), Weights.of(p, "fc.weight"), new HostTensor(b, bias.shape())));
        g.output(y, "output", 3);
        return g.toModel("test", Map.of()).toByteArray();
    }

    private static HostTensor heldOut(int n) {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new HostTensor(x, new long[] {n, 4});
    }

    @Test
    void faithfulExportPasses() {
        Module m = new LinearGelu();
        Params p = m.initialise(manager, DataType.FLOAT32, new SplittableRandom(1));
        ParityReport r = OnnxParity.check(export(p, 0f), m, p, heldOut(19), OnnxParity.FP32_TOLERANCE, false);
        assertTrue(r.maxAbsDiff() < 1e-6, "max diff " + r.maxAbsDiff());
        assertEquals(19, r.samples());
        assertEquals("CPU", r.provider());
    }

    @Test
    void exportThatIsOffFailsWithTheMeasuredDifference() {
        Module m = new LinearGelu();
        Params p = m.initialise(manager, DataType.FLOAT32, new SplittableRandom(2));
        ExportParityException e = assertThrows(ExportParityException.class,
                () -> OnnxParity.check(export(p, 1e-3f), m, p, heldOut(5), OnnxParity.FP32_TOLERANCE, false));
        // a bias shifted by 1e-3 moves gelu by between 0 and ~1.1e-3
        assertTrue(e.report().maxAbsDiff() > 1e-4 && e.report().maxAbsDiff() < 1.2e-3, e.getMessage());
        assertTrue(e.getMessage().contains("exceeds the tolerance"), e.getMessage());
        assertTrue(!e.report().passed());
    }
}
