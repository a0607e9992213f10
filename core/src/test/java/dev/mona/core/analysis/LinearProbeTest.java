package dev.mona.core.analysis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearProbeTest {
    /** Three classes with means far apart in 6-D (linearly separable) plus noise. */
    static double[][] separable(SplittableRandom rng, int[] y) {
        double[][] x = new double[y.length][6];
        for (int i = 0; i < y.length; i++) {
            for (int k = 0; k < 6; k++) {
                x[i][k] = 0.3 * rng.nextGaussian() + (k == y[i] ? 3 : 0);
            }
        }
        return x;
    }

    static int[] labels(int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        return y;
    }

    @Test
    void separableDataIsLearnedAndShuffledLabelsGiveChance() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] yFit = labels(300, 3);
        int[] yEval = labels(300, 3);
        double[][] xFit = separable(rng, yFit);
        double[][] xEval = separable(rng, yEval);
        LinearProbe.Probe p = LinearProbe.fit(xFit, yFit, 3, LinearProbe.Config.defaults());
        assertEquals(0.0, p.errorRate(xEval, yEval), 0.01);
        // shuffled labels carry no information: held-out error near chance 2/3
        int[] shuffled = yFit.clone();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        double chance = LinearProbe.fit(xFit, shuffled, 3, LinearProbe.Config.defaults()).errorRate(xEval, yEval);
        assertTrue(chance > 0.55 && chance < 0.78, "shuffled-label probe error " + chance);
    }

    @Test
    void posteriorsAreTheSoftmaxOfTheStandardisedLogits() {
        // d = 1, two classes: mean 1, std 1 (x = 0, 2); weights w = (2, -1), biases (0.5, 0)
        LinearProbe.Probe p = new LinearProbe.Probe(new double[]{1}, new double[]{1},
                new double[][]{{2, -1}, {0.5, 0}});
        double[][] q = p.posteriors(new double[][]{{3}, {1}});
        // x = 3: z = 2 -> logits (4.5, -2); x = 1: z = 0 -> logits (0.5, 0)
        assertEquals(1 / (1 + Math.exp(-6.5)), q[0][0], 1e-12);
        assertEquals(1 / (1 + Math.exp(-0.5)), q[1][0], 1e-12);
        assertEquals(1.0, q[1][0] + q[1][1], 1e-12);
        assertArrayEquals(new int[]{0, 0}, p.predict(new double[][]{{3}, {1}}));
    }

    @Test
    void lbfgsMatchesTheGradientOfItsObjective() {
        SplittableRandom rng = new SplittableRandom(2);
        double[][] z = new double[20][3];
        int[] y = new int[20];
        for (int i = 0; i < 20; i++) {
            y[i] = i % 4;
            for (int k = 0; k < 3; k++) {
                z[i][k] = rng.nextGaussian();
            }
        }
        double[] w = new double[16];
        for (int k = 0; k < 16; k++) {
            w[k] = 0.3 * rng.nextGaussian();
        }
        double[] g = new double[16];
        LinearProbe.objective(z, y, 4, 0.1, w, g);
        for (int k = 0; k < 16; k++) {
            double[] wp = w.clone();
            wp[k] += 1e-6;
            double[] wm = w.clone();
            wm[k] -= 1e-6;
            double fd = (LinearProbe.objective(z, y, 4, 0.1, wp, new double[16])
                    - LinearProbe.objective(z, y, 4, 0.1, wm, new double[16])) / 2e-6;
            assertEquals(fd, g[k], 1e-7);
        }
    }

    @Test
    void tsneSeparatesClustersIsSeededAndPanelsAreWritten(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        int[] y = labels(60, 3);
        double[][] x = separable(rng, y);
        Tsne.Config c = new Tsne.Config(10, 400, 100, 7);
        double[][] map = Tsne.embed(x, c);
        assertArrayEquals(map[5], Tsne.embed(x, c)[5], 0);
        // nearest neighbour in the map shares the class
        int agree = 0;
        for (int i = 0; i < map.length; i++) {
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int j = 0; j < map.length; j++) {
                double d = Math.hypot(map[i][0] - map[j][0], map[i][1] - map[j][1]);
                if (j != i && d < bd) {
                    bd = d;
                    best = j;
                }
            }
            agree += y[best] == y[i] ? 1 : 0;
        }
        assertTrue(agree >= 58, "1-NN agreement " + agree + "/60");
        Map<String, double[][]> maps = new LinkedHashMap<>();
        maps.put("pretrained", map);
        maps.put("fine-tuned", map);
        Path png = dir.resolve("tsne.png");
        TsnePanels.writeMaps(maps, y, png);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G');
    }
}
