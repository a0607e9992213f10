package dev.mona.core.analysis;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HungarianTest {
    static double bruteForce(double[][] c, int row, boolean[] used) {
        if (row == c.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c[0].length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, c[row][j] + bruteForce(c, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }

    @Test
    void matchesBruteForceOnRandomSquareAndRectangularMatrices() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < 200; t++) {
            int n = 1 + rng.nextInt(6);
            int m = n + rng.nextInt(3);
            double[][] c = new double[n][m];
            for (double[] row : c) {
                for (int j = 0; j < m; j++) {
                    row[j] = rng.nextInt(4) == 0 ? rng.nextInt(3) : rng.nextDouble() * 10 - 3;
                }
            }
            int[] a = Hungarian.minimize(c);
            assertEquals(n, java.util.Arrays.stream(a).distinct().count(), "distinct columns");
            assertEquals(bruteForce(c, 0, new boolean[m]), Hungarian.cost(c, a), 1e-9);
        }
    }

    @Test
    void handExample() {
        // classic 3x3: best is (0->1, 1->0, 2->2) with 1 + 2 + 2 = 5
        double[][] c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertArrayEquals(new int[] {1, 0, 2}, Hungarian.minimize(c));
        assertArrayEquals(new int[] {0, 2, 1}, Hungarian.maximize(new double[][] {{9, 1, 1}, {1, 1, 8}, {1, 7, 1}}));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.minimize(new double[][] {{1}, {2}}));
    }

    @Test
    void discrepancyOfAPermutedPerfectSourceModelIsNearZero() {
        // the source model puts 0.9 on source class 2c+1 for target class c, 0.1 spread elsewhere
        int n = 30;
        double[][] post = new double[n][7];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            java.util.Arrays.fill(post[i], 0.1 / 6);
            post[i][2 * y[i] + 1] = 0.9;
        }
        ModalityDiscrepancy.Estimate e = ModalityDiscrepancy.estimate(post, y, 3);
        assertArrayEquals(new int[] {1, 3, 5}, e.matching());
        // q(y|x) = 0.9 / (0.9 + 2 * 0.1/6), by hand
        assertEquals(-Math.log(0.9 / (0.9 + 0.2 / 6)), e.discrepancy(), 1e-12);
        assertEquals(0.9 + 0.2 / 6, e.massOnSubset(), 1e-12);
        assertEquals(1.0, e.matchedAccuracy());
        // uninformative posteriors: q uniform over 3 classes, D = log 3
        double[][] flat = new double[n][7];
        for (double[] r : flat) {
            java.util.Arrays.fill(r, 1.0 / 7);
        }
        assertEquals(Math.log(3), ModalityDiscrepancy.estimate(flat, y, 3).discrepancy(), 1e-12);
    }
}
