package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddersTest extends CpuManagerTest {
    @Test
    void bilinearMatricesMatchHandValues() {
        // up 2 -> 4 (align_corners=False): sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (upper clamped)
        assertArrayEquals(new double[] {1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1}, Resampling.bilinearMatrix(2, 4), 1e-15);
        // down 4 -> 2 without antialiasing: sources 0.5 and 2.5
        assertArrayEquals(new double[] {0.5, 0.5, 0, 0, 0, 0, 0.5, 0.5}, Resampling.bilinearMatrix(4, 2), 1e-15);
        // 3 -> 2: sources 0.25 and 1.75
        assertArrayEquals(new double[] {0.75, 0.25, 0, 0, 0.25, 0.75}, Resampling.bilinearMatrix(3, 2), 1e-15);
    }

    @Test
    void adaptiveAverageMatrixMatchesPyTorchBins() {
        // 5 -> 3: bins [0,2), [1,4), [3,5)
        double t = 1.0 / 3;
        assertArrayEquals(new double[] {0.5, 0.5, 0, 0, 0, 0, t, t, t, 0, 0, 0, 0, 0.5, 0.5},
                Resampling.adaptiveAverageMatrix(5, 3), 1e-15);
    }

    @Test
    void resize2dIsSeparableBilinear() {
        // 2 x 2 image [[1, 2], [3, 4]] to 4 x 4: rows and columns both use the 2 -> 4 weights
        NDArray x = m.create(new double[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        double[] y = Resampling.resizeBilinear(x, 4, 4).toDoubleArray();
        double[] w = {0, 0.25, 0.75, 1}; // weight of the second source row / column per output
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double top = 1 + w[j];
                double bottom = 3 + w[j];
                assertEquals(top + w[i] * (bottom - top), y[i * 4 + j], 1e-14);
            }
        }
    }

    @Test
    void stackRuleTakesTheSmallestFittingDivisor() {
        assertEquals(2, Embedder1d.stack(1000, 512)); // 500 tokens
        assertEquals(1, Embedder1d.stack(64, 64));
        assertEquals(4, Embedder1d.stack(100, 30)); // 1 -> 100, 2 -> 50 too many; 4 -> 25 fits
        assertEquals(7, Embedder1d.stack(49, 10)); // divisors 1, 7, 49: 49 and 7 tokens
        assertEquals(13, Embedder1d.stack(13, 5)); // a prime length collapses to one token
    }

    @Test
    void embedder2dIsResizeConvNorm() {
        Embedder2d e = new Embedder2d(2, 3, 3, 4, 2, 5, 1e-5);
        Params p = GradCheck.noisy(m, e, 3);
        NDArray x = GradCheck.random(m, new Shape(1, 2, 3, 3), new SplittableRandom(1));
        double[] xs = x.toDoubleArray();
        double[] rm = Resampling.bilinearMatrix(3, 4);
        double[] img = new double[2 * 16];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double s = 0;
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) {
                            s += rm[i * 3 + a] * rm[j * 3 + b] * xs[c * 9 + a * 3 + b];
                        }
                    }
                    img[c * 16 + i * 4 + j] = s;
                }
            }
        }
        double[] w = p.get("projection.weight").toDoubleArray();
        double[] bias = p.get("projection.bias").toDoubleArray();
        double[] tokens = new double[4 * 5];
        for (int ph = 0; ph < 2; ph++) {
            for (int pw = 0; pw < 2; pw++) {
                for (int o = 0; o < 5; o++) {
                    double s = bias[o];
                    for (int c = 0; c < 2; c++) {
                        for (int i = 0; i < 2; i++) {
                            for (int j = 0; j < 2; j++) {
                                s += w[((o * 2 + c) * 2 + i) * 2 + j] * img[c * 16 + (ph * 2 + i) * 4 + pw * 2 + j];
                            }
                        }
                    }
                    tokens[(ph * 2 + pw) * 5 + o] = s;
                }
            }
        }
        assertArrayEquals(SwinEncoderTest.affineNorm(tokens, p, "norm", 5, 1e-5), e.forward(p, x).toDoubleArray(),
                1e-10);
    }

    @Test
    void embedder1dIsConvNormPosition() {
        // L = 6, target 3 -> stack 2, 3 tokens
        Embedder1d e = new Embedder1d(2, 6, 3, 4, 1e-5);
        assertEquals(2, e.stack());
        Params p = GradCheck.noisy(m, e, 4);
        NDArray x = GradCheck.random(m, new Shape(1, 2, 6), new SplittableRandom(2));
        double[] xs = x.toDoubleArray();
        double[] w = p.get("projection.weight").toDoubleArray();
        double[] bias = p.get("projection.bias").toDoubleArray();
        double[] tokens = new double[3 * 4];
        for (int t = 0; t < 3; t++) {
            for (int o = 0; o < 4; o++) {
                double s = bias[o];
                for (int c = 0; c < 2; c++) {
                    for (int k = 0; k < 2; k++) {
                        s += w[(o * 2 + c) * 2 + k] * xs[c * 6 + t * 2 + k];
                    }
                }
                tokens[t * 4 + o] = s;
            }
        }
        double[] expected = SwinEncoderTest.affineNorm(tokens, p, "norm", 4, 1e-5);
        double[] pos = p.get("position_embeddings.weight").toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            expected[i] += pos[i];
        }
        assertArrayEquals(expected, e.forward(p, x).toDoubleArray(), 1e-10);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Embedder2d e2 = new Embedder2d(2, 5, 6, 8, 4, 6, 1e-5);
        Map<String, Double> a = GradCheck.errors(m, e2::forward, GradCheck.noisy(m, e2, 1),
                GradCheck.random(m, new Shape(2, 2, 5, 6), new SplittableRandom(1)), true, 2, 1);
        assertTrue(GradCheck.worst(a) < 1e-6, a.toString());
        Embedder1d e1 = new Embedder1d(3, 12, 5, 6, 1e-5);
        Map<String, Double> b = GradCheck.errors(m, e1::forward, GradCheck.noisy(m, e1, 2),
                GradCheck.random(m, new Shape(2, 3, 12), new SplittableRandom(2)), true, 2, 2);
        assertTrue(GradCheck.worst(b) < 1e-6, b.toString());
    }

    @Test
    void warmStartTilesThePatchProjectionAndCopiesBiasAndNormOnlyWhenStage1Runs() {
        SwinEncoder swin = SwinConfig.tiny().build();
        Params enc = swin.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
        // non-trivial pretrained bias and norm, so that a copy differs from a fresh (0, 1, 0) start
        for (String n : new String[] {"embeddings.norm.weight", "embeddings.norm.bias",
                "embeddings.patch_embeddings.projection.bias"}) {
            enc = enc.with(n, GradCheck.random(m, new Shape(16), new SplittableRandom(n.length()))
                    .toType(DataType.FLOAT32, false));
        }
        Embedder2d e = new Embedder2d(5, 28, 28, 32, 4, 16, 1e-5);
        Params p = WarmStart.embedder(e, swin, enc, true, m, DataType.FLOAT32, new SplittableRandom(2));
        float[] src = enc.get("embeddings.patch_embeddings.projection.weight").toFloatArray(); // (16, 3, 4, 4)
        float[] w = p.get("projection.weight").toFloatArray(); // (16, 5, 4, 4)
        assertEquals(new Shape(16, 5, 4, 4), p.get("projection.weight").getShape());
        for (int o = 0; o < 16; o++) {
            for (int c = 0; c < 5; c++) {
                for (int k = 0; k < 16; k++) {
                    // ORCA: weight repeated 5 // 3 + 1 = 2 times over channels, sliced to 5: channel c takes c mod 3
                    assertEquals(src[(o * 3 + c % 3) * 16 + k], w[(o * 5 + c) * 16 + k], "o" + o + " c" + c);
                }
            }
        }
        for (String[] pair : new String[][] {{"embeddings.patch_embeddings.projection.bias", "projection.bias"},
                {"embeddings.norm.weight", "norm.weight"}, {"embeddings.norm.bias", "norm.bias"}}) {
            assertArrayEquals(enc.get(pair[0]).toFloatArray(), p.get(pair[1]).toFloatArray(), pair[1]);
        }
        assertEquals(Set.of("projection.weight", "projection.bias", "norm.weight", "norm.bias"), p.names(),
                "Swin has relative position biases: no position table");
        assertTrue(!p.get("projection.weight").hasGradient());
        // no stage 1 (ORCA's embedder_epochs 0): the fresh trunc-normal start, nothing copied
        Params fresh = e.initialise(m, DataType.FLOAT32, new SplittableRandom(2));
        Params q = WarmStart.embedder(e, swin, enc, false, m, DataType.FLOAT32, new SplittableRandom(2));
        for (String n : fresh.names()) {
            assertArrayEquals(fresh.get(n).toFloatArray(), q.get(n).toFloatArray(), n);
        }
    }

    @Test
    void warmStartCopiesTheTextPositionRowsAlwaysAndTheLayerNormWhenStage1Runs() {
        for (BertConfig cfg : new BertConfig[] {BertConfig.tinyRoberta(), BertConfig.tinyBert()}) {
            BertEncoder bert = cfg.build();
            Params enc = bert.initialise(m, DataType.FLOAT64, new SplittableRandom(1));
            enc = enc.with("embeddings.LayerNorm.weight", GradCheck.random(m, new Shape(8), new SplittableRandom(4)))
                    .with("embeddings.LayerNorm.bias", GradCheck.random(m, new Shape(8), new SplittableRandom(5)));
            Embedder1d e = new Embedder1d(2, 12, 6, 8, 1e-5);
            double[] table = enc.get("embeddings.position_embeddings.weight").toDoubleArray(); // (positions, 8)
            // RoBERTa: ORCA's position ids arange(2, n + 2); BERT: 0 .. n - 1
            int first = cfg.robertaPositions() ? 2 : 0;
            double[] rows = java.util.Arrays.copyOfRange(table, first * 8, (first + 6) * 8);
            for (boolean full : new boolean[] {true, false}) {
                Params p = WarmStart.embedder(e, bert, enc, full, m, DataType.FLOAT64, new SplittableRandom(2));
                assertArrayEquals(rows, p.get("position_embeddings.weight").toDoubleArray(), cfg + " " + full);
                Params fresh = e.initialise(m, DataType.FLOAT64, new SplittableRandom(2));
                assertArrayEquals(fresh.get("projection.weight").toDoubleArray(),
                        p.get("projection.weight").toDoubleArray(), "the text encoder has no projection to copy");
                assertArrayEquals(full ? enc.get("embeddings.LayerNorm.weight").toDoubleArray() : new double[] {1, 1,
                        1, 1, 1, 1, 1, 1}, p.get("norm.weight").toDoubleArray());
                assertArrayEquals(full ? enc.get("embeddings.LayerNorm.bias").toDoubleArray() : new double[8],
                        p.get("norm.bias").toDoubleArray());
            }
        }
        // tinyRoberta has 18 usable positions: 20 tokens do not fit
        BertEncoder bert = BertConfig.tinyRoberta().build();
        Params enc = bert.initialise(m, DataType.FLOAT64, new SplittableRandom(1));
        assertThrows(ModelConfigException.class, () -> WarmStart.embedder(new Embedder1d(1, 20, 20, 8, 1e-5), bert,
                enc, true, m, DataType.FLOAT64, new SplittableRandom(2)));
    }

    @Test
    void aVitFrontedEmbedderTakesTheVitsPatchPositionsResampledToItsGrid() {
        VitEncoder vit = VitConfig.test().build(); // 8 x 8 images, patch 4: a 2 x 2 grid after a class token
        Params enc = vit.initialise(m, DataType.FLOAT64, new SplittableRandom(1));
        double[] pos = enc.get("pos_embed").toDoubleArray(); // (1, 5, 8): row 0 is the class token's
        Embedder2d same = (Embedder2d) Architectures.embedder(VitConfig.test(), new long[] {3, 5, 5}, 0);
        assertTrue(same.positionEmbedding());
        Params p = WarmStart.embedder(same, vit, enc, false, m, DataType.FLOAT64, new SplittableRandom(2));
        assertArrayEquals(java.util.Arrays.copyOfRange(pos, 8, 40), p.get("position_embeddings.weight")
                .toDoubleArray());
        // a 4 x 4 grid: each axis resampled 2 -> 4 with weights of the second row (0, 0.25, 0.75, 1)
        Embedder2d bigger = new Embedder2d(3, 5, 5, 16, 4, 8, 1e-6, true);
        double[] q = WarmStart.embedder(bigger, vit, enc, true, m, DataType.FLOAT64, new SplittableRandom(2))
                .get("position_embeddings.weight").toDoubleArray(); // (16, 8)
        double[] w = {0, 0.25, 0.75, 1};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int d = 0; d < 8; d++) {
                    // patch row (r, c) of the source grid is table row 1 + 2 r + c
                    double top = (1 - w[j]) * pos[(1) * 8 + d] + w[j] * pos[(2) * 8 + d];
                    double bottom = (1 - w[j]) * pos[(3) * 8 + d] + w[j] * pos[(4) * 8 + d];
                    assertEquals((1 - w[i]) * top + w[i] * bottom, q[(i * 4 + j) * 8 + d], 1e-12,
                            "token " + i + "," + j + " dim " + d);
                }
            }
        }
    }

    @Test
    void wrongInputShapesRaiseTypedErrorsNamingBothShapes() {
        Embedder2d e2 = new Embedder2d(1, 28, 28, 32, 4, 16, 1e-5);
        Params p2 = e2.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
        InputShapeException a = assertThrows(InputShapeException.class,
                () -> e2.forward(p2, m.zeros(new Shape(4, 3, 28, 28))));
        assertTrue(a.getMessage().contains("(4, 3, 28, 28)") && a.getMessage().contains("(B, 1, 28, 28)"),
                a.getMessage());
        assertEquals(new Shape(4, 3, 28, 28), a.received());
        Embedder1d e1 = new Embedder1d(2, 100, 10, 8, 1e-5);
        Params p1 = e1.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
        InputShapeException b = assertThrows(InputShapeException.class,
                () -> e1.forward(p1, m.zeros(new Shape(4, 2, 99))));
        assertTrue(b.getMessage().contains("(4, 2, 99)") && b.getMessage().contains("(B, 2, 100)"), b.getMessage());
        assertTrue(b instanceof MonaModelException);
    }
}
