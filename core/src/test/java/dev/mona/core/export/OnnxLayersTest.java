package dev.mona.core.export;

import dev.mona.core.data.HostTensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each ONNX building block run by ONNX Runtime against values computed by hand (loops in float64). */
class OnnxLayersTest {
    private static final float TOL = 1e-5f;

    /** Builds a graph {@code input -> block -> output}, runs it in ONNX Runtime on the CPU. */
    private static HostTensor run(HostTensor x, BiFunction<OnnxLayers, String, String> block) {
        OnnxGraph g = new OnnxGraph("piece");
        long[] dims = java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length);
        String in = g.input("input", dims);
        String out = block.apply(new OnnxLayers(g), in);
        g.output(out, "output");
        byte[] model = g.toModel("test", Map.of()).toByteArray();
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(model, false)) {
            return s.run(x);
        }
    }

    private static HostTensor t(float[] data, long... shape) {
        return new HostTensor(data, shape);
    }

    private static float[] seq(int n, float scale, float offset) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.sin(i * 1.3 + offset) * scale;
        }
        return a;
    }

    @Test
    void linearIsXTimesWTransposedPlusBias() {
        HostTensor w = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // (out 2, in 3)
        HostTensor b = t(new float[] {0.5f, -1}, 2);
        HostTensor x = t(new float[] {1, 0, -1, 2, 1, 0.5f}, 1, 2, 3);
        HostTensor y = run(x, (l, in) -> l.linear(in, w, b));
        assertArrayEquals(new long[] {1, 2, 2}, y.shape());
        // row 0: [1*1+0*2-1*3, 1*4+0*5-1*6] + b = [-2+0.5, -2-1]; row 1: [2+2+1.5, 8+5+3] + b
        assertArrayEquals(new float[] {-1.5f, -3f, 6f, 15f}, y.data(), TOL);
    }

    @Test
    void layerNormMatchesHandComputation() {
        float[] xs = {1, 2, 4, -3, 0, 3};
        HostTensor gamma = t(new float[] {1, 2, 0.5f}, 3);
        HostTensor beta = t(new float[] {0, 1, -1}, 3);
        HostTensor y = run(t(xs, 2, 3), (l, in) -> l.layerNorm(in, gamma, beta, 1e-5f));
        float[] expect = new float[6];
        for (int r = 0; r < 2; r++) {
            double mean = 0;
            double var = 0;
            for (int i = 0; i < 3; i++) {
                mean += xs[r * 3 + i] / 3.0;
            }
            for (int i = 0; i < 3; i++) {
                var += Math.pow(xs[r * 3 + i] - mean, 2) / 3.0;
            }
            for (int i = 0; i < 3; i++) {
                expect[r * 3 + i] = (float) ((xs[r * 3 + i] - mean) / Math.sqrt(var + 1e-5) * gamma.data()[i] + beta.data()[i]);
            }
        }
        assertArrayEquals(expect, y.data(), TOL);
    }

    @Test
    void geluIsTheErfForm() {
        HostTensor y = run(t(new float[] {1, -1, 0.5f, 0, 3}, 1, 5), OnnxLayers::gelu);
        // 0.5 x (1 + erf(x / sqrt 2)), values from the normal CDF table
        assertArrayEquals(new float[] {0.8413447f, -0.1586553f, 0.3457312f, 0f, 2.9959502f}, y.data(), TOL);
    }

    @Test
    void patchConvolutionsIn2dAnd1d() {
        // 2-D: 1 input channel 4x4, 2 output channels, kernel = stride = 2
        float[] img = new float[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i;
        }
        HostTensor w = t(new float[] {1, 0, 0, 1, 0.25f, 0.25f, 0.25f, 0.25f}, 2, 1, 2, 2);
        HostTensor b = t(new float[] {1, 0}, 2);
        HostTensor y = run(t(img, 1, 1, 4, 4), (l, in) -> l.patchConv(in, w, b, 2));
        assertArrayEquals(new long[] {1, 2, 2, 2}, y.shape());
        // channel 0: top-left + bottom-right of each 2x2 patch, + 1; channel 1: the patch mean
        assertArrayEquals(new float[] {0 + 5 + 1, 2 + 7 + 1, 8 + 13 + 1, 10 + 15 + 1, 2.5f, 4.5f, 10.5f, 12.5f},
                y.data(), TOL);

        // 1-D: 2 channels of length 6, kernel = stride = 3, one output channel summing channel 0 minus channel 1
        HostTensor w1 = t(new float[] {1, 1, 1, -1, -1, -1}, 1, 2, 3);
        HostTensor y1 = run(t(new float[] {1, 2, 3, 4, 5, 6, 1, 1, 1, 2, 2, 2}, 1, 2, 6), (l, in) -> l.patchConv(in, w1, null, 3));
        assertArrayEquals(new float[] {6 - 3, 15 - 6}, y1.data(), TOL);
    }

    @Test
    void bilinearResizeMatchesPytorchDefault() {
        // F.interpolate([[1, 2]], size=4, mode='linear', align_corners=False) = [1, 1.25, 1.75, 2]
        HostTensor up = run(t(new float[] {1, 2, 10, 20}, 1, 1, 2, 2), (l, in) -> l.resizeBilinear(in, 2, 2, 2, 4));
        assertArrayEquals(new float[] {1, 1.25f, 1.75f, 2, 10, 12.5f, 17.5f, 20}, up.data(), TOL);
        // down-sampling without antialiasing samples 0.5 and 2.5: [1, 2, 3, 4] -> [1.5, 3.5]
        HostTensor down = run(t(new float[] {1, 2, 3, 4}, 1, 1, 4, 1), (l, in) -> l.resizeBilinear(in, 4, 1, 2, 1));
        assertArrayEquals(new float[] {1.5f, 3.5f}, down.data(), TOL);
        // 2-D 2x2 -> 3x3: centre is the mean of the four corners
        HostTensor both = run(t(new float[] {0, 4, 8, 12}, 1, 1, 2, 2), (l, in) -> l.resizeBilinear(in, 2, 2, 3, 3));
        assertEquals(6f, both.data()[4], TOL);
        assertEquals(0f, both.data()[0], TOL);
        assertEquals(12f, both.data()[8], TOL);
    }

    @Test
    void adaptivePoolingUsesPytorchWindows() {
        // 5 -> 3: windows [0,2), [1,4), [3,5)
        HostTensor y = run(t(new float[] {1, 2, 3, 4, 5}, 1, 1, 1, 5), (l, in) -> l.adaptiveAvgPool2d(in, 1, 5, 1, 3));
        assertArrayEquals(new float[] {1.5f, 3f, 4.5f}, y.data(), TOL);
        HostTensor last = run(t(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3), (l, in) -> l.adaptiveAvgPoolLast(in, 3, 1));
        assertArrayEquals(new float[] {2, 5}, last.data(), TOL);
    }

    @Test
    void meanOverTokensAndReshapeTranspose() {
        HostTensor x = t(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 2);
        assertArrayEquals(new float[] {3, 4}, run(x, OnnxLayers::meanTokens).data(), TOL);
        HostTensor tr = run(x, (l, in) -> l.transpose(l.reshape(in, 0, 6), 1, 0));
        assertArrayEquals(new long[] {6, 1}, tr.shape());
    }

    @Test
    void selfAttentionMatchesALoopImplementation() {
        int n = 3;
        int d = 4;
        int heads = 2;
        HostTensor[] w = new HostTensor[8];
        for (int i = 0; i < 4; i++) {
            w[2 * i] = t(seq(d * d, 0.5f, i), d, d);
            w[2 * i + 1] = t(seq(d, 0.1f, 10 + i), d);
        }
        float[] xs = seq(2 * n * d, 1f, 3);
        HostTensor y = run(t(xs, 2, n, d), (l, in) -> l.selfAttention(in, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], heads));
        float[] expect = new float[xs.length];
        int hd = d / heads;
        for (int b = 0; b < 2; b++) {
            double[][] q = proj(xs, b, n, d, w[0], w[1]);
            double[][] k = proj(xs, b, n, d, w[2], w[3]);
            double[][] v = proj(xs, b, n, d, w[4], w[5]);
            double[][] ctx = new double[n][d];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] s = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < hd; c++) {
                            s[j] += q[i][h * hd + c] * k[j][h * hd + c];
                        }
                        s[j] /= Math.sqrt(hd);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < n; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < hd; c++) {
                            ctx[i][h * hd + c] += s[j] / z * v[j][h * hd + c];
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < d; o++) {
                    double acc = w[7].data()[o];
                    for (int c = 0; c < d; c++) {
                        acc += ctx[i][c] * w[6].data()[o * d + c];
                    }
                    expect[(b * n + i) * d + o] = (float) acc;
                }
            }
        }
        assertArrayEquals(expect, y.data(), TOL);
    }

    private static double[][] proj(float[] xs, int b, int n, int d, HostTensor w, HostTensor bias) {
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < d; o++) {
                double acc = bias.data()[o];
                for (int c = 0; c < d; c++) {
                    acc += xs[(b * n + i) * d + c] * w.data()[o * d + c];
                }
                out[i][o] = acc;
            }
        }
        return out;
    }

    @Test
    void modelCarriesOpsetIrVersionAndADynamicBatch() throws Exception {
        OnnxGraph g = new OnnxGraph("m");
        g.output(new OnnxLayers(g).gelu(g.input("input", 3)), "output", 3);
        var model = g.toModel("0.1.0", Map.of("mona.task", "demo"));
        assertEquals(8, model.getIrVersion());
        assertEquals(17, model.getOpsetImport(0).getVersion());
        assertEquals("batch", model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals("demo", model.getMetadataProps(0).getValue());
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(model.toByteArray(), false)) {
            assertArrayEquals(new long[] {5, 3}, s.run(t(new float[15], 5, 3)).shape());
            assertArrayEquals(new long[] {1, 3}, s.run(t(new float[3], 1, 3)).shape());
        }
    }
}
