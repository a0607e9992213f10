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

class PredictorsTest extends CpuManagerTest {
    @Test
    void classificationAveragesTokensThenProjects() {
        ClassificationPredictor pred = new ClassificationPredictor(2, 2);
        Params p = Params.empty().with("classifier.weight", m.create(new double[] {1, 0, 1, -1}, new Shape(2, 2)))
                .with("classifier.bias", m.create(new double[] {0, 10}));
        // tokens [1, 2] and [3, 6]: mean [2, 4] -> [2, 2 - 4 + 10]
        NDArray tokens = m.create(new double[] {1, 2, 3, 6}, new Shape(1, 2, 2));
        assertArrayEquals(new double[] {2, 8}, pred.forward(p, tokens).toDoubleArray(), 1e-12);
    }

    @Test
    void pixelShuffleFollowsTorchOrder() {
        // 2 x 2 tokens, r = 2, 2 channels: token t feature k holds 100 t + k; feature k = c*4 + i*2 + j goes to
        // pixel (c, h*2 + i, w*2 + j) of token t = h*2 + w
        double[] f = new double[4 * 8];
        for (int t = 0; t < 4; t++) {
            for (int k = 0; k < 8; k++) {
                f[t * 8 + k] = 100 * t + k;
            }
        }
        double[] img = DensePredictor2d.pixelShuffle(m.create(f, new Shape(1, 4, 8)), 2, 2, 2).toDoubleArray();
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int t = (y / 2) * 2 + x / 2;
                    int k = c * 4 + (y % 2) * 2 + x % 2;
                    assertEquals(100 * t + k, img[(c * 4 + y) * 4 + x], 0, "pixel " + c + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    void densePredictor2dPoolsChannelsAndSpace() {
        // identity linear (width 8 = 2 channels * 2 * 2), grid 2 -> a 2 x 4 x 4 image; pool 2 -> 1 channel
        // and 4 x 4 -> 2 x 2: each output pixel is the mean of a 2 x 2 block over both channels
        DensePredictor2d pred = new DensePredictor2d(8, 2, 2, 2, 1, 2, 2);
        Params p = Params.empty().with("linear.weight", m.eye(8).toType(DataType.FLOAT64, false))
                .with("linear.bias", m.zeros(new Shape(8), DataType.FLOAT64));
        double[] f = new double[4 * 8];
        for (int i = 0; i < f.length; i++) {
            f[i] = i * i % 7;
        }
        double[] img = DensePredictor2d.pixelShuffle(m.create(f, new Shape(1, 4, 8)), 2, 2, 2).toDoubleArray();
        double[] out = pred.forward(p, m.create(f, new Shape(1, 4, 8))).toDoubleArray();
        assertEquals(4, out.length);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                double s = 0;
                for (int c = 0; c < 2; c++) {
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            s += img[(c * 4 + 2 * y + dy) * 4 + 2 * x + dx];
                        }
                    }
                }
                assertEquals(s / 8, out[y * 2 + x], 1e-12);
            }
        }
    }

    @Test
    void densePredictor1dPoolsEachTokenToItsWindow() {
        // width 4, 1 channel, L = 4, stack 2: token t gives positions 2t, 2t+1 = means of feature pairs
        DensePredictor1d pred = new DensePredictor1d(4, 1, 4, 2);
        NDArray tokens = m.create(new double[] {1, 3, 5, 7, 2, 4, 6, 8}, new Shape(1, 2, 4));
        assertArrayEquals(new double[] {2, 6, 3, 7}, pred.forward(Params.empty(), tokens).toDoubleArray(), 1e-12);
        // 2 channels, stack 1, width 4: channel c of token t = mean of features [2c, 2c+2)
        DensePredictor1d two = new DensePredictor1d(4, 2, 2, 1);
        assertArrayEquals(new double[] {2, 3, 6, 7}, two.forward(Params.empty(), tokens).toDoubleArray(), 1e-12);
        assertTrue(pred.parameterShapes().isEmpty());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        NDArray tokens = GradCheck.random(m, new Shape(2, 4, 6), new SplittableRandom(1));
        ClassificationPredictor c = new ClassificationPredictor(6, 3);
        Map<String, Double> a = GradCheck.errors(m, c::forward, GradCheck.noisy(m, c, 1), tokens, true, 2, 1);
        DensePredictor2d d2 = new DensePredictor2d(6, 2, 3, 3, 2, 5, 4);
        Map<String, Double> b = GradCheck.errors(m, d2::forward, GradCheck.noisy(m, d2, 2), tokens, true, 2, 2);
        DensePredictor1d d1 = new DensePredictor1d(6, 2, 8, 2);
        Map<String, Double> e = GradCheck.errors(m, d1::forward, Params.empty(), tokens, true, 2, 3);
        for (Map<String, Double> r : java.util.List.of(a, b, e)) {
            assertTrue(GradCheck.worst(r) < 1e-6, r.toString());
        }
    }

    @Test
    void wrongShapesRaiseTypedErrors() {
        DensePredictor2d d2 = new DensePredictor2d(6, 2, 3, 3, 2, 5, 4);
        Params p = d2.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
        assertThrows(InputShapeException.class, () -> d2.forward(p, m.zeros(new Shape(1, 5, 6))));
        assertThrows(InputShapeException.class,
                () -> new DensePredictor1d(6, 1, 8, 2).forward(Params.empty(), m.zeros(new Shape(1, 3, 6))));
        assertThrows(InputShapeException.class, () -> new ClassificationPredictor(6, 2)
                .forward(p, m.zeros(new Shape(1, 6))));
        assertThrows(ModelConfigException.class, () -> new DensePredictor1d(4, 3, 8, 2));
    }
}
