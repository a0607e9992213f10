package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwinEncoderTest extends CpuManagerTest {
    @Test
    void relativePositionIndexForWindowTwoMatchesHandValues() {
        // tokens (0,0),(0,1),(1,0),(1,1); index = (dh + 1) * 3 + (dw + 1), (dh, dw) = query - key
        long[] expected = {4, 3, 1, 0, 5, 4, 2, 1, 7, 6, 4, 3, 8, 7, 5, 4};
        assertArrayEquals(expected, SwinEncoder.relativePositionIndex(2, 2));
        assertTrue(SwinEncoder.isComputedBuffer("swin.encoder.layers.0.blocks.1.attention.self.relative_position_index"));
        assertFalse(SwinEncoder.isComputedBuffer("encoder.layers.0.blocks.1.attention.self.relative_position_bias_table"));
    }

    @Test
    void shiftMaskHasHuggingFaceRegions() {
        // res 8, window 4, shift 2: windows 0 (top-left) one region, 1 (top-right) two column regions of 8 tokens,
        // 3 (bottom-right) four 2x2 regions
        double[] mask = SwinEncoder.shiftMask(8, 4, 2);
        assertEquals(4 * 16 * 16, mask.length);
        assertEquals(0, zeros(mask, 0) - 256);
        assertEquals(2 * 8 * 8, zeros(mask, 1));
        assertEquals(4 * 4 * 4, zeros(mask, 3));
        // in window 3 the token at rolled (4,4) and (6,6) are in different regions
        assertEquals(SwinEncoder.SHIFT_MASK_LOGIT, mask[(3 * 16 + 0) * 16 + 10]);
        assertEquals(0.0, mask[(3 * 16 + 0) * 16 + 5]);
    }

    private static int zeros(double[] mask, int window) {
        int z = 0;
        for (int i = window * 256; i < (window + 1) * 256; i++) {
            z += mask[i] == 0 ? 1 : 0;
        }
        return z;
    }

    @Test
    void patchMergingConcatenatesInHuggingFaceOrder() {
        // 4 x 4 tokens with C = 1 holding 10 * row + column
        double[] v = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                v[r * 4 + c] = 10 * r + c;
            }
        }
        NDArray x = m.create(v, new Shape(1, 16, 1));
        // merged token (i, j) = [x(2i,2j), x(2i+1,2j), x(2i,2j+1), x(2i+1,2j+1)]
        double[] expected = {0, 10, 1, 11, 2, 12, 3, 13, 20, 30, 21, 31, 22, 32, 23, 33};
        NDArray merged = SwinEncoder.mergeNeighbours(x, 4);
        assertEquals(new Shape(1, 4, 4), merged.getShape());
        assertArrayEquals(expected, merged.toDoubleArray(), 0);
    }

    @Test
    void shiftedWindowsDoNotAttendAcrossRolledBorders() {
        SwinConfig cfg = new SwinConfig(32, 4, 3, 8, List.of(2), List.of(2), 4, 2.0, 1e-5);
        SwinEncoder swin = cfg.build();
        Params p = GradCheck.noisy(m, swin, 3).scope("encoder.layers.0.blocks.1.");
        NDArray x = GradCheck.random(m, new Shape(1, 64, 8), new SplittableRandom(4));
        double[] base = swin.block(p, x, 0, 1).toDoubleArray();
        double[] bumped = swin.block(p, bump(x, 0), 0, 1).toDoubleArray();
        // original (0,0) sits at rolled (6,6), region (2,2) of the bottom-right window
        assertTrue(changed(base, bumped, 0), "the token itself changes");
        assertTrue(changed(base, bumped, 9), "(1,1) is rolled to (7,7): same window and region");
        assertFalse(changed(base, bumped, 63), "(7,7) is rolled to (5,5): same window, other region");
        assertFalse(changed(base, bumped, 7), "(0,7) is rolled to (6,5): same window, other region");
        assertFalse(changed(base, bumped, 56), "(7,0) is rolled to (5,6): same window, other region");
        assertFalse(changed(base, bumped, 27), "(3,3) is rolled to (1,1): another window");
        // without the shift (block 0) (0,0) shares its window with (3,3) but not with (7,7)
        Params p0 = GradCheck.noisy(m, swin, 3).scope("encoder.layers.0.blocks.0.");
        double[] b0 = swin.block(p0, x, 0, 0).toDoubleArray();
        double[] b1 = swin.block(p0, bump(x, 0), 0, 0).toDoubleArray();
        assertTrue(changed(b0, b1, 27));
        assertFalse(changed(b0, b1, 63));
    }

    private static NDArray bump(NDArray x, int token) {
        double[] v = x.toDoubleArray();
        for (int c = 0; c < 8; c++) {
            v[token * 8 + c] += 0.3 * (c + 1); // not constant: LayerNorm would erase a constant shift
        }
        return m.create(v, x.getShape());
    }

    private static boolean changed(double[] a, double[] b, int token) {
        double d = 0;
        for (int c = 0; c < 8; c++) {
            d = Math.max(d, Math.abs(a[token * 8 + c] - b[token * 8 + c]));
        }
        return d > 1e-12;
    }

    @Test
    void shiftedBlockMatchesALoopOverRolledCoordinates() {
        SwinConfig cfg = new SwinConfig(32, 4, 3, 8, List.of(2), List.of(2), 4, 2.0, 1e-5);
        SwinEncoder swin = cfg.build();
        for (int j = 0; j < 2; j++) {
            Params p = GradCheck.noisy(m, swin, 5 + j).scope("encoder.layers.0.blocks." + j + ".");
            NDArray x = GradCheck.random(m, new Shape(1, 64, 8), new SplittableRandom(6));
            double[] expected = naiveBlock(x.toDoubleArray(), p, 8, 4, cfg.shift(0, j), 2, 8, 16, 1e-5);
            assertArrayEquals(expected, swin.block(p, x, 0, j).toDoubleArray(), 1e-10, "block " + j);
        }
    }

    /**
     * A Swin block written from the definition: token (r, c) sits at rolled position ((r - s) mod R, (c - s) mod R);
     * it attends to the tokens of its window with bias table[(dh + w - 1)(2w - 1) + dw + w - 1] and -100 to
     * tokens of another region of the rolled image.
     */
    static double[] naiveBlock(double[] x, Params p, int res, int w, int s, int heads, int c, int hidden,
                               double eps) {
        int n = res * res;
        double[] h = affineNorm(x, p, "layernorm_before", c, eps);
        double[][] q = BlocksTest.lin(h, d(p, "attention.self.query.weight"), d(p, "attention.self.query.bias"), n, c, c);
        double[][] k = BlocksTest.lin(h, d(p, "attention.self.key.weight"), d(p, "attention.self.key.bias"), n, c, c);
        double[][] v = BlocksTest.lin(h, d(p, "attention.self.value.weight"), d(p, "attention.self.value.bias"), n, c, c);
        double[] table = d(p, "attention.self.relative_position_bias_table");
        int dh = c / heads;
        double[] ctx = new double[n * c];
        for (int a = 0; a < n; a++) {
            int ra = Math.floorMod(a / res - s, res);
            int ca = Math.floorMod(a % res - s, res);
            for (int hd = 0; hd < heads; hd++) {
                double[] logit = new double[n];
                boolean[] in = new boolean[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int b = 0; b < n; b++) {
                    int rb = Math.floorMod(b / res - s, res);
                    int cb = Math.floorMod(b % res - s, res);
                    if (ra / w != rb / w || ca / w != cb / w) {
                        continue;
                    }
                    in[b] = true;
                    double dot = 0;
                    for (int t = 0; t < dh; t++) {
                        dot += q[a][hd * dh + t] * k[b][hd * dh + t];
                    }
                    int idx = (ra % w - rb % w + w - 1) * (2 * w - 1) + (ca % w - cb % w + w - 1);
                    boolean sameRegion = s == 0 || region(ra, res, w, s) == region(rb, res, w, s)
                            && region(ca, res, w, s) == region(cb, res, w, s);
                    logit[b] = dot / Math.sqrt(dh) + table[idx * heads + hd] + (sameRegion ? 0 : -100);
                    max = Math.max(max, logit[b]);
                }
                double z = 0;
                for (int b = 0; b < n; b++) {
                    if (in[b]) {
                        logit[b] = Math.exp(logit[b] - max);
                        z += logit[b];
                    }
                }
                for (int t = 0; t < dh; t++) {
                    double sum = 0;
                    for (int b = 0; b < n; b++) {
                        if (in[b]) {
                            sum += logit[b] / z * v[b][hd * dh + t];
                        }
                    }
                    ctx[a * c + hd * dh + t] = sum;
                }
            }
        }
        double[][] att = BlocksTest.lin(ctx, d(p, "attention.output.dense.weight"), d(p, "attention.output.dense.bias"),
                n, c, c);
        double[] x1 = x.clone();
        for (int a = 0; a < n; a++) {
            for (int t = 0; t < c; t++) {
                x1[a * c + t] += att[a][t];
            }
        }
        double[][] f1 = BlocksTest.lin(affineNorm(x1, p, "layernorm_after", c, eps), d(p, "intermediate.dense.weight"),
                d(p, "intermediate.dense.bias"), n, c, hidden);
        double[] g = new double[n * hidden];
        for (int a = 0; a < n; a++) {
            for (int t = 0; t < hidden; t++) {
                double u = f1[a][t];
                g[a * hidden + t] = 0.5 * u * (1 + VitEncoderTest.erf(u / Math.sqrt(2)));
            }
        }
        double[][] f2 = BlocksTest.lin(g, d(p, "output.dense.weight"), d(p, "output.dense.bias"), n, hidden, c);
        for (int a = 0; a < n; a++) {
            for (int t = 0; t < c; t++) {
                x1[a * c + t] += f2[a][t];
            }
        }
        return x1;
    }

    private static int region(int coord, int res, int w, int s) {
        return coord < res - w ? 0 : coord < res - s ? 1 : 2;
    }

    static double[] affineNorm(double[] x, Params p, String name, int c, double eps) {
        double[] y = VitEncoderTest.norm(x, c, eps);
        double[] gamma = d(p, name + ".weight");
        double[] beta = d(p, name + ".bias");
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] * gamma[i % c] + beta[i % c];
        }
        return y;
    }

    static double[] d(Params p, String name) {
        return p.get(name).toDoubleArray();
    }

    @Test
    void gradientsOfTinySwinMatchFiniteDifferences() {
        // two stages (8 x 8 tokens with a shifted block, then 4 x 4), kept small for finite differences
        SwinEncoder swin = new SwinConfig(16, 2, 2, 8, List.of(2, 1), List.of(2, 2), 4, 2.0, 1e-5).build();
        Params all = GradCheck.noisy(m, swin, 21);
        Params body = Params.empty();
        Params emb = Params.empty();
        for (String n : all.names()) {
            if (n.startsWith("embeddings.")) {
                emb = emb.with(n, all.get(n));
            } else {
                body = body.with(n, all.get(n));
            }
        }
        NDArray tokens = GradCheck.random(m, new Shape(1, 64, 8), new SplittableRandom(2));
        Map<String, Double> e = GradCheck.errors(m, swin::forward, body, tokens, true, 1, 1);
        assertTrue(GradCheck.worst(e) < 1e-6, e.toString());
        assertEquals(new Shape(1, 16, 16), swin.forward(body, tokens).getShape());
        NDArray images = GradCheck.random(m, new Shape(1, 2, 16, 16), new SplittableRandom(3));
        Map<String, Double> s = GradCheck.errors(m, swin.sourceEmbedder()::forward, emb, images, true, 2, 2);
        assertTrue(GradCheck.worst(s) < 1e-6, s.toString());
    }

    @Test
    void swinBaseHasHuggingFaceShapesAndCount() {
        SwinEncoder swin = SwinConfig.swinBasePatch4Window7_224().build();
        Map<String, Shape> shapes = swin.parameterShapes();
        assertEquals(new Shape(128, 3, 4, 4), shapes.get("embeddings.patch_embeddings.projection.weight"));
        assertEquals(new Shape(169, 16), shapes.get("encoder.layers.2.blocks.17.attention.self.relative_position_bias_table"));
        assertEquals(new Shape(256, 256), shapes.get("encoder.layers.1.blocks.1.attention.self.key.weight"));
        assertEquals(new Shape(2048, 512), shapes.get("encoder.layers.2.blocks.0.intermediate.dense.weight"));
        assertEquals(new Shape(1024, 2048), shapes.get("encoder.layers.2.downsample.reduction.weight"));
        assertFalse(shapes.containsKey("encoder.layers.2.downsample.reduction.bias"));
        assertEquals(new Shape(2048), shapes.get("encoder.layers.2.downsample.norm.weight"));
        assertFalse(shapes.containsKey("encoder.layers.3.downsample.norm.weight"));
        assertEquals(new Shape(1024), shapes.get("layernorm.weight"));
        long count = shapes.values().stream().mapToLong(Shape::size).sum();
        // timm / HF swin_base_patch4_window7_224: 87,768,224 with the 1000-class head (1024*1000 + 1000)
        assertEquals(87_768_224L - 1_025_000L, count);
        assertEquals(1024, swin.outputWidth());
        assertEquals(0, cfgShift(3, 1));
        assertEquals(3, cfgShift(0, 1));
    }

    private static int cfgShift(int stage, int block) {
        return SwinConfig.swinBasePatch4Window7_224().shift(stage, block);
    }

    @Test
    void wrongShapesAndConfigsRaiseTypedErrors() {
        SwinEncoder swin = SwinConfig.tiny().build();
        Params p = swin.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
        InputShapeException e = assertThrows(InputShapeException.class,
                () -> swin.forward(p, m.zeros(new Shape(2, 49, 16))));
        assertTrue(e.getMessage().contains("(2, 49, 16)") && e.getMessage().contains("64"), e.getMessage());
        assertThrows(InputShapeException.class, () -> swin.sourceEmbedder().forward(p, m.zeros(new Shape(1, 1, 32, 32))));
        assertThrows(ModelConfigException.class,
                () -> new SwinConfig(28, 4, 3, 16, List.of(2, 2), List.of(2, 4), 4, 4.0, 1e-5));
        assertThrows(ModelConfigException.class,
                () -> new SwinConfig(32, 4, 3, 16, List.of(2, 2), List.of(3, 4), 4, 4.0, 1e-5));
    }

    @Test
    void sourceImagesOfAnotherSizeAreResizedToTheEncodersInput() {
        SwinEncoder swin = SwinConfig.tiny().build();
        Params p = swin.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
        // per-channel constant images: bilinear resizing keeps them, so 16 px and 32 px inputs embed alike
        NDArray colour = m.create(new float[]{0.3f, -1.2f, 0.7f, 2f, 0f, -0.5f}, new Shape(2, 3, 1, 1));
        NDArray small = colour.broadcast(new Shape(2, 3, 16, 16));
        NDArray full = colour.broadcast(new Shape(2, 3, 32, 32));
        NDArray expected = swin.sourceEmbedder().forward(p, full);
        assertEquals(new Shape(2, 64, 16), expected.getShape());
        assertArrayEquals(expected.toFloatArray(), swin.sourceEmbedder().forward(p, small).toFloatArray(), 1e-5f);
        assertThrows(InputShapeException.class, () -> swin.sourceEmbedder().forward(p,
                m.zeros(new Shape(1, 3, 16, 8))));
    }
}
