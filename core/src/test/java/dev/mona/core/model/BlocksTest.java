package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlocksTest extends CpuManagerTest {
    private static Params params(Object... nameValue) {
        Params p = Params.empty();
        for (int i = 0; i < nameValue.length; i += 2) {
            p = p.with((String) nameValue[i], (NDArray) nameValue[i + 1]);
        }
        return p;
    }

    @Test
    void layerNormMatchesHandValues() {
        // x = [1, 2, 3, 4]: mean 2.5, biased variance 1.25; (x - 2.5) / sqrt(1.25 + eps) * gamma + beta
        NDArray x = m.create(new double[] {1, 2, 3, 4}, new Shape(1, 4));
        double eps = 1e-5;
        Params p = params("ln.weight", m.create(new double[] {1, 2, 1, 1}), "ln.bias",
                m.create(new double[] {0, 0, 0, 1}));
        double sd = Math.sqrt(1.25 + eps);
        double[] expected = {-1.5 / sd, 2 * -0.5 / sd, 0.5 / sd, 1.5 / sd + 1};
        assertArrayEquals(expected, Blocks.layerNorm(p, "ln", x, eps).toDoubleArray(), 1e-12);
        // epsilon is honoured: a large eps changes the scale exactly as the formula says
        double[] big = Blocks.layerNorm(p, "ln", x, 1.0).toDoubleArray();
        assertEquals(-1.5 / Math.sqrt(2.25), big[0], 1e-12);
    }

    @Test
    void geluIsTheErfForm() {
        NDArray x = m.create(new double[] {-1, 0.5, 2});
        // x * Phi(x) with Phi(-1) = 0.15865525393145707, Phi(0.5) = 0.6914624612740131, Phi(2) = 0.9772498680518208
        assertArrayEquals(new double[] {-0.15865525393145707, 0.5 * 0.6914624612740131, 2 * 0.9772498680518208},
                Blocks.gelu(x).toDoubleArray(), 1e-12);
    }

    @Test
    void linearUsesTorchWeightLayout() {
        // weight (out=2, in=3), y = x W^T + b
        Params p = params("fc.weight", m.create(new double[] {1, 2, 3, 0, 1, 0}, new Shape(2, 3)), "fc.bias",
                m.create(new double[] {10, 20}));
        NDArray x = m.create(new double[] {1, 1, 2}, new Shape(1, 3));
        assertArrayEquals(new double[] {1 + 2 + 6 + 10, 1 + 20}, Blocks.linear(p, "fc", x).toDoubleArray(), 1e-12);
    }

    @Test
    void patchProjectionIsTheStridedConvolution() {
        SplittableRandom rng = new SplittableRandom(3);
        NDArray images = GradCheck.random(m, new Shape(2, 3, 8, 12), rng);
        NDArray w = GradCheck.random(m, new Shape(5, 3, 4, 4), rng);
        NDArray b = GradCheck.random(m, new Shape(5), rng);
        // libtorch's convolution, its (B, 5, 2, 3) output flattened to (B, 6, 5) tokens in row-major patch order
        NDArray conv = Conv2d.conv2d(images, w, b, new Shape(4, 4)).head().reshape(2, 5, 6).swapAxes(1, 2);
        NDArray tokens = Blocks.patchProjection(images, w, b, 4);
        assertEquals(new Shape(2, 6, 5), tokens.getShape());
        assertArrayEquals(conv.toDoubleArray(), tokens.toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Blocks.patchProjection(images, w, b, 5));
    }

    @Test
    void attentionOnTwoTokensMatchesHandValues() {
        // one head, D = 2, q = k = [[1,0],[0,1]], v = [[1,2],[3,4]]: logits = I / sqrt(2)
        NDArray q = m.create(new double[] {1, 0, 0, 1}, new Shape(1, 1, 2, 2));
        NDArray v = m.create(new double[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        double a = Math.exp(1 / Math.sqrt(2));
        double w0 = a / (a + 1);
        double w1 = 1 / (a + 1);
        double[] expected = {w0 * 1 + w1 * 3, w0 * 2 + w1 * 4, w1 * 1 + w0 * 3, w1 * 2 + w0 * 4};
        assertArrayEquals(expected, Blocks.attention(q, q, v, null).toDoubleArray(), 1e-12);
        // a bias of -1e9 on key 1 leaves only value 0 for both queries
        NDArray mask = m.create(new double[] {0, Blocks.MASKED_LOGIT}, new Shape(1, 1, 1, 2));
        assertArrayEquals(new double[] {1, 2, 1, 2}, Blocks.attention(q, q, v, mask).toDoubleArray(), 1e-12);
    }

    @Test
    void fusedAndSeparateAttentionAgree() {
        // the fused qkv split must put rows [0,C) to q, [C,2C) to k, [2C,3C) to v, heads contiguous in each
        SplittableRandom rng = new SplittableRandom(1);
        int c = 6;
        NDArray wq = GradCheck.random(m, new Shape(c, c), rng);
        NDArray wk = GradCheck.random(m, new Shape(c, c), rng);
        NDArray wv = GradCheck.random(m, new Shape(c, c), rng);
        NDArray bq = GradCheck.random(m, new Shape(c), rng);
        NDArray bk = GradCheck.random(m, new Shape(c), rng);
        NDArray bv = GradCheck.random(m, new Shape(c), rng);
        NDArray wo = GradCheck.random(m, new Shape(c, c), rng);
        NDArray bo = GradCheck.random(m, new Shape(c), rng);
        Params fused = params("qkv.weight", wq.concat(wk, 0).concat(wv, 0), "qkv.bias", bq.concat(bk).concat(bv),
                "proj.weight", wo, "proj.bias", bo);
        Params separate = params("s.query.weight", wq, "s.query.bias", bq, "s.key.weight", wk, "s.key.bias", bk,
                "s.value.weight", wv, "s.value.bias", bv, "o.weight", wo, "o.bias", bo);
        NDArray x = GradCheck.random(m, new Shape(2, 5, c), rng);
        double[] a = Blocks.fusedSelfAttention(fused, "", x, 3, null).toDoubleArray();
        double[] b = Blocks.selfAttention(separate, "s.", "o", x, 3, null).toDoubleArray();
        assertArrayEquals(b, a, 1e-12);
        // independent per-head loop for head h: softmax(q_h k_h^T / sqrt(2)) v_h
        double[] ref = naiveAttention(x.toDoubleArray(), wq, bq, wk, bk, wv, bv, wo, bo, 2, 5, c, 3);
        assertArrayEquals(ref, a, 1e-10);
    }

    /** Loop-based multi-head self-attention, written from the definition. */
    static double[] naiveAttention(double[] x, NDArray wq, NDArray bq, NDArray wk, NDArray bk, NDArray wv,
                                   NDArray bv, NDArray wo, NDArray bo, int b, int n, int c, int heads) {
        double[][] q = lin(x, wq.toDoubleArray(), bq.toDoubleArray(), b * n, c, c);
        double[][] k = lin(x, wk.toDoubleArray(), bk.toDoubleArray(), b * n, c, c);
        double[][] v = lin(x, wv.toDoubleArray(), bv.toDoubleArray(), b * n, c, c);
        int d = c / heads;
        double[] ctx = new double[b * n * c];
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] w = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int t = 0; t < d; t++) {
                            s += q[bi * n + i][h * d + t] * k[bi * n + j][h * d + t];
                        }
                        w[j] = s / Math.sqrt(d);
                        max = Math.max(max, w[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < n; j++) {
                        w[j] = Math.exp(w[j] - max);
                        z += w[j];
                    }
                    for (int t = 0; t < d; t++) {
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += w[j] / z * v[bi * n + j][h * d + t];
                        }
                        ctx[(bi * n + i) * c + h * d + t] = s;
                    }
                }
            }
        }
        double[][] out = lin(ctx, wo.toDoubleArray(), bo.toDoubleArray(), b * n, c, c);
        double[] flat = new double[b * n * c];
        for (int i = 0; i < b * n; i++) {
            System.arraycopy(out[i], 0, flat, i * c, c);
        }
        return flat;
    }

    static double[][] lin(double[] x, double[] w, double[] bias, int rows, int in, int out) {
        double[][] y = new double[rows][out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[o * in + i];
                }
                y[r][o] = s;
            }
        }
        return y;
    }

    @Test
    void blockGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(7);
        int c = 4;
        Params p = params(
                "ln.weight", GradCheck.random(m, new Shape(c), rng).mul(0.3).add(1),
                "ln.bias", GradCheck.random(m, new Shape(c), rng),
                "attn.qkv.weight", GradCheck.random(m, new Shape(3 * c, c), rng).mul(0.5),
                "attn.qkv.bias", GradCheck.random(m, new Shape(3 * c), rng),
                "attn.proj.weight", GradCheck.random(m, new Shape(c, c), rng),
                "attn.proj.bias", GradCheck.random(m, new Shape(c), rng),
                "fc1.weight", GradCheck.random(m, new Shape(8, c), rng),
                "fc1.bias", GradCheck.random(m, new Shape(8), rng),
                "fc2.weight", GradCheck.random(m, new Shape(c, 8), rng),
                "fc2.bias", GradCheck.random(m, new Shape(c), rng));
        NDArray x = GradCheck.random(m, new Shape(2, 3, c), rng);
        NDArray bias = GradCheck.random(m, new Shape(1, 2, 3, 3), rng);
        Map<String, Double> ln = GradCheck.errors(m, (q, in) -> Blocks.layerNorm(q, "ln", in, 1e-5),
                p.scope("ln.").prefixed("ln."), x, true, 3, 1);
        Map<String, Double> gelu = GradCheck.errors(m, (q, in) -> Blocks.gelu(in), Params.empty(), x, true, 3, 2);
        Map<String, Double> attn = GradCheck.errors(m, (q, in) -> Blocks.fusedSelfAttention(q, "attn.", in, 2, bias),
                p.scope("attn.").prefixed("attn."), x, true, 3, 3);
        Map<String, Double> mlp = GradCheck.errors(m, (q, in) -> Blocks.mlp(q, "fc1", "fc2", in),
                p.scope("fc").prefixed("fc"), x, true, 3, 4);
        for (Map<String, Double> e : java.util.List.of(ln, gelu, attn, mlp)) {
            assertTrue(GradCheck.worst(e) < 1e-6, e.toString());
        }
    }
}
