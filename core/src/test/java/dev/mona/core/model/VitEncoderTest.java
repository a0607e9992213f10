package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VitEncoderTest extends CpuManagerTest {
    @Test
    void timmNamesAndViTTinyParameterCount() {
        VitEncoder vit = VitConfig.vitTiny().build();
        Map<String, Shape> shapes = vit.parameterShapes();
        assertEquals(new Shape(192, 3, 4, 4), shapes.get("patch_embed.proj.weight"));
        assertEquals(new Shape(1, 64, 192), shapes.get("pos_embed"));
        assertEquals(new Shape(576, 192), shapes.get("blocks.3.attn.qkv.weight"));
        assertEquals(new Shape(768, 192), shapes.get("blocks.0.mlp.fc1.weight"));
        assertEquals(new Shape(192), shapes.get("norm.bias"));
        // per block: 2 norms (4*192) + qkv (3*192*192 + 576) + proj (192*192 + 192) + fc1 + fc2
        long block = 4 * 192 + 3 * 192 * 192 + 576 + 192 * 192 + 192 + 768 * 192 + 768 + 192 * 768 + 192;
        long expected = 192 * 48 + 192 + 64 * 192 + 4 * block + 2 * 192;
        Params p = vit.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
        assertEquals(expected, p.count());
        assertEquals(shapes.keySet(), p.names());
    }

    @Test
    void initialisationIsDeterministicAndTruncated() {
        VitEncoder vit = VitConfig.test().build();
        double[] a = vit.initialise(m, DataType.FLOAT64, new SplittableRandom(3)).get("blocks.1.attn.qkv.weight")
                .toDoubleArray();
        double[] b = vit.initialise(m, DataType.FLOAT64, new SplittableRandom(3)).get("blocks.1.attn.qkv.weight")
                .toDoubleArray();
        assertArrayEquals(a, b);
        for (double v : a) {
            assertTrue(Math.abs(v) <= 0.04 + 1e-12);
        }
    }

    @Test
    void oneBlockMatchesTheDefinition() {
        // depth-1 ViT: y = norm(h + mlp(norm2(h))), h = x + attn(norm1(x)); all norms identity-affine here
        VitConfig cfg = new VitConfig(8, 4, 1, 6, 1, 3, 12, false, 1e-6);
        VitEncoder vit = cfg.build();
        Params p = vit.initialise(m, DataType.FLOAT64, new SplittableRandom(1));
        p = GradCheck.noisy(m, vit, 2);
        for (String n : new String[] {"blocks.0.norm1", "blocks.0.norm2", "norm"}) {
            p = p.with(n + ".weight", m.ones(new Shape(6), DataType.FLOAT64))
                    .with(n + ".bias", m.zeros(new Shape(6), DataType.FLOAT64));
        }
        NDArray x = GradCheck.random(m, new Shape(2, 4, 6), new SplittableRandom(5));
        double[] xs = x.toDoubleArray();
        Params b = p.scope("blocks.0.");
        NDArray w = b.get("attn.qkv.weight");
        NDArray bias = b.get("attn.qkv.bias");
        double[] n1 = norm(xs, 6, 1e-6);
        double[] att = BlocksTest.naiveAttention(n1, w.get("0:6"), bias.get("0:6"), w.get("6:12"), bias.get("6:12"),
                w.get("12:18"), bias.get("12:18"), b.get("attn.proj.weight"), b.get("attn.proj.bias"), 2, 4, 6, 3);
        double[] h = add(xs, att);
        double[][] f1 = BlocksTest.lin(norm(h, 6, 1e-6), b.get("mlp.fc1.weight").toDoubleArray(),
                b.get("mlp.fc1.bias").toDoubleArray(), 8, 6, 12);
        double[] g = new double[8 * 12];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 12; j++) {
                double v = f1[i][j];
                g[i * 12 + j] = 0.5 * v * (1 + erf(v / Math.sqrt(2)));
            }
        }
        double[][] f2 = BlocksTest.lin(g, b.get("mlp.fc2.weight").toDoubleArray(), b.get("mlp.fc2.bias")
                .toDoubleArray(), 8, 12, 6);
        double[] y = h.clone();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 6; j++) {
                y[i * 6 + j] += f2[i][j];
            }
        }
        assertArrayEquals(norm(y, 6, 1e-6), vit.forward(p, x).toDoubleArray(), 1e-9);
    }

    @Test
    void gradientsOfEncoderAndSourceEmbedderMatchFiniteDifferences() {
        VitEncoder vit = VitConfig.test().build();
        Params p = GradCheck.noisy(m, vit, 11);
        NDArray tokens = GradCheck.random(m, new Shape(2, 5, 8), new SplittableRandom(1));
        Params body = Params.empty();
        for (String n : p.names()) {
            if (n.startsWith("blocks.") || n.startsWith("norm.")) {
                body = body.with(n, p.get(n));
            }
        }
        Map<String, Double> e = GradCheck.errors(m, vit::forward, body, tokens, true, 2, 1);
        assertTrue(GradCheck.worst(e) < 1e-6, e.toString());
        Module src = vit.sourceEmbedder();
        Params sp = p.scope("").map((k, v) -> v);
        Params srcParams = Params.empty();
        for (String n : src.parameterShapes().keySet()) {
            srcParams = srcParams.with(n, sp.get(n));
        }
        NDArray images = GradCheck.random(m, new Shape(2, 2, 8, 8), new SplittableRandom(2));
        Map<String, Double> s = GradCheck.errors(m, src::forward, srcParams, images, true, 2, 2);
        assertTrue(GradCheck.worst(s) < 1e-6, s.toString());
        assertEquals(new Shape(2, 5, 8), src.forward(srcParams, images).getShape());
    }

    @Test
    void wrongShapesRaiseTypedErrors() {
        VitEncoder vit = VitConfig.test().build();
        Params p = vit.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
        InputShapeException e = assertThrows(InputShapeException.class,
                () -> vit.forward(p, m.zeros(new Shape(2, 5, 7))));
        assertTrue(e.getMessage().contains("(2, 5, 7)") && e.getMessage().contains("8"), e.getMessage());
        assertThrows(InputShapeException.class, () -> vit.sourceEmbedder().forward(p, m.zeros(new Shape(2, 3, 8, 8))));
        assertThrows(ModelConfigException.class, () -> new VitConfig(8, 4, 1, 7, 1, 2, 8, false, 1e-6));
    }

    static double[] norm(double[] x, int c, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / c; r++) {
            double mean = 0;
            for (int j = 0; j < c; j++) {
                mean += x[r * c + j] / c;
            }
            double var = 0;
            for (int j = 0; j < c; j++) {
                var += (x[r * c + j] - mean) * (x[r * c + j] - mean) / c;
            }
            for (int j = 0; j < c; j++) {
                y[r * c + j] = (x[r * c + j] - mean) / Math.sqrt(var + eps);
            }
        }
        return y;
    }

    static double[] add(double[] a, double[] b) {
        double[] y = a.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += b[i];
        }
        return y;
    }

    /** erf by its Taylor series (|x| small here) with enough terms for 1e-15. */
    static double erf(double x) {
        if (Math.abs(x) > 3) {
            return Math.signum(x) * erfcTailComplement(Math.abs(x));
        }
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static double erfcTailComplement(double x) {
        // continued fraction for erfc, accurate for x > 3
        double f = 0;
        for (int k = 60; k >= 1; k--) {
            f = k / 2.0 / (x + f);
        }
        return 1 - Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
    }
}
