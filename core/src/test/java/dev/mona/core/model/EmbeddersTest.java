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
    void warmStartTilesThePatchProjectionAndCopiesTheNorm() {
        SwinEncoder swin = SwinConfig.tiny().build();
        Params enc = swin.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
        enc = enc.with("embeddings.norm.weight", GradCheck.random(m, new Shape(16), new SplittableRandom(3))
                .toType(DataType.FLOAT32, false));
        Embedder2d e = new Embedder2d(5, 28, 28, 32, 4, 16, 1e-5);
        Params p = WarmStart.embedder(e, swin, enc, m, DataType.FLOAT32, new SplittableRandom(2));
        NDArray src = enc.get("embeddings.patch_embeddings.projection.weight");
        NDArray w = p.get("projection.weight");
        assertEquals(new Shape(16, 5, 4, 4), w.getShape());
        for (int c = 0; c < 5; c++) {
            // target channel c = source channel c mod 3
            assertArrayEquals(src.get(":, " + (c % 3)).toFloatArray(), w.get(":, " + c).toFloatArray());
        }
        assertArrayEquals(enc.get("embeddings.norm.weight").toFloatArray(), p.get("norm.weight").toFloatArray());
        assertTrue(!w.hasGradient());
    }

    @Test
    void warmStartCopiesPositionRowsFromTheFirstPositionId() {
        for (BertConfig cfg : new BertConfig[] {BertConfig.tinyRoberta(), BertConfig.tinyBert()}) {
            BertEncoder bert = cfg.build();
            Params enc = bert.initialise(m, DataType.FLOAT64, new SplittableRandom(1));
            Embedder1d e = new Embedder1d(2, 12, 6, 8, 1e-5);
            Params p = WarmStart.embedder(e, bert, enc, m, DataType.FLOAT64, new SplittableRandom(2));
            int first = cfg.robertaPositions() ? 2 : 0;
            assertArrayEquals(enc.get("embeddings.position_embeddings.weight").get(first + ":" + (first + 6))
                    .toDoubleArray(), p.get("position_embeddings.weight").toDoubleArray());
            assertArrayEquals(enc.get("embeddings.LayerNorm.bias").toDoubleArray(), p.get("norm.bias").toDoubleArray());
        }
        // tinyRoberta has 18 usable positions: 20 tokens do not fit
        BertEncoder bert = BertConfig.tinyRoberta().build();
        Params enc = bert.initialise(m, DataType.FLOAT64, new SplittableRandom(1));
        assertThrows(ModelConfigException.class, () -> WarmStart.embedder(new Embedder1d(1, 20, 20, 8, 1e-5), bert,
                enc, m, DataType.FLOAT64, new SplittableRandom(2)));
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
