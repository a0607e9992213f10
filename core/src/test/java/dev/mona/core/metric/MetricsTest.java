package dev.mona.core.metric;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.MonaModelException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    private static HostTensor t(float[] d, long... shape) {
        return new HostTensor(d, shape);
    }

    @Test
    void errorRateAndMacroF1() {
        // arg-max: 1, 0, 2, 2 ; targets 1, 1, 2, 0 -> 2 wrong of 4
        HostTensor p = t(new float[] {0, 5, 1, 3, 2, 1, 0, 1, 9, 0, 0, 4}, 4, 3);
        HostTensor y = t(new float[] {1, 1, 2, 0}, 4);
        assertEquals(50.0, Metrics.score(MetricKind.ERROR_RATE, p, y), 1e-12);
        // class 0: tp 0, fp 1, fn 1 -> F1 0; class 1: tp 1, fn 1 -> 2/3; class 2: tp 1, fp 1 -> 2/3
        assertEquals(1 - (0 + 2.0 / 3 + 2.0 / 3) / 3, Metrics.score(MetricKind.ONE_MINUS_MACRO_F1, p, y), 1e-12);
    }

    @Test
    void aurocAndAveragePrecision() {
        // scikit-learn's documented example: AUROC 0.75, AP 0.8333
        HostTensor s = t(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, 4);
        HostTensor y = t(new float[] {0, 0, 1, 1}, 4);
        assertEquals(0.25, Metrics.score(MetricKind.ONE_MINUS_AUROC, s, y), 1e-12);
        assertEquals(1 - 5.0 / 6, Metrics.score(MetricKind.ONE_MINUS_MAP, s, y), 1e-7);
        // ties count one half: scores all equal -> AUROC 0.5; AP = prevalence
        HostTensor flat = t(new float[] {0.3f, 0.3f, 0.3f, 0.3f}, 4);
        assertEquals(0.5, Metrics.score(MetricKind.ONE_MINUS_AUROC, flat, y), 1e-12);
        assertEquals(0.5, Metrics.score(MetricKind.ONE_MINUS_MAP, flat, y), 1e-12);
        // macro over two labels of a (B, L) prediction: label 0 perfect (1.0), label 1 reversed (0.0)
        HostTensor p2 = t(new float[] {0.9f, 0.9f, 0.8f, 0.8f, 0.2f, 0.2f, 0.1f, 0.1f}, 4, 2);
        HostTensor y2 = t(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, 4, 2);
        assertEquals(0.5, Metrics.score(MetricKind.ONE_MINUS_AUROC, p2, y2), 1e-12);
        // AP label 0 = 1; label 1 scores (0.9,0.8,0.2,0.1) labels (0,0,1,1): thresholds 0.9 P=0, 0.8 P=0, 0.2 R=.5 P=1/3,
        // 0.1 R=1 P=2/4 -> AP = .5/3 + .5*.5 = 0.41667
        assertEquals(1 - (1 + (0.5 / 3 + 0.25)) / 2, Metrics.score(MetricKind.ONE_MINUS_MAP, p2, y2), 1e-7);
        // a label with a single class is skipped (macro over the defined ones)
        HostTensor y3 = t(new float[] {1, 0, 1, 0, 0, 0, 0, 0}, 4, 2);
        assertEquals(0.0, Metrics.score(MetricKind.ONE_MINUS_AUROC, p2, y3), 1e-12);
        assertThrows(MonaModelException.class,
                () -> Metrics.score(MetricKind.ONE_MINUS_AUROC, s, t(new float[] {1, 1, 1, 1}, 4)));
    }

    @Test
    void regressionMetrics() {
        HostTensor p = t(new float[] {1, 2, 0, 3}, 2, 2);
        HostTensor y = t(new float[] {1, 0, 3, 4}, 2, 2);
        assertEquals((2 + Math.sqrt(10) / 5) / 2, Metrics.score(MetricKind.RELATIVE_L2, p, y), 1e-7);
        HostTensor p3 = t(new float[] {1, 2, 0, 3}, 1, 2, 2);
        HostTensor y3 = t(new float[] {1, 0, 3, 4}, 1, 2, 2);
        assertEquals((2 + Math.sqrt(10) / 5) / 2, Metrics.score(MetricKind.NRMSE, p3, y3), 1e-7);
        // MAE_8 scores only pairs 24 residues apart: a 2 x 2 map has none
        HostTensor dp = t(new float[] {7, 3, 0, 100}, 1, 2, 2);
        HostTensor dy = t(new float[] {5, 3.5f, 12, 20}, 1, 2, 2);
        assertTrue(Double.isNaN(Metrics.score(MetricKind.MAE8, dp, dy)));
    }

    /**
     * ORCA's PSICOV MAE_8 on two proteins (L = 26 and 25) padded by 5 into 36 x 36 windows, by hand. Scored pairs
     * (upper triangle, j - i &gt;= 24, y &lt;= 8), prediction (max(l, .01) + max((u + l) / 2, .01)) / 2:
     * A (0,24): y 5, u 6, l 4 -> (4 + 5) / 2 = 4.5, err 0.5; A (0,25): y 8 (kept), u 0, l -2 -> floored 0.01,
     * err 7.99; A (1,25): y 9, skipped. A = (0.5 + 7.99) / 2 = 4.245.
     * B (0,24): y 3, u 3, l 1 -> (1 + 2) / 2 = 1.5, err 1.5; B = 1.5. MAE_8 = (4.245 + 1.5) / 2 = 2.8725.
     * Decoys that must not count: a near pair (0,1) with y 2, the lower-triangle target y(24,0) = 1, and a target 4
     * just outside B's L x L region (residue "25", inside the window) where the fallback does score it:
     * fallback B = (1.5 + |50 - 4|) / 2 = 23.75, fallback MAE_8 = (4.245 + 23.75) / 2 = 13.9975.
     */
    @Test
    void psicovMae8FollowsOrca() {
        int w = 36;
        float[] p = new float[2 * w * w];
        float[] y = new float[2 * w * w];
        java.util.Arrays.fill(p, 50f);
        java.util.Arrays.fill(y, 100f);
        int[] lengths = {26, 25};
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < lengths[b]; i++) {
                for (int j = 0; j < lengths[b]; j++) {
                    y[b * w * w + (i + 5) * w + j + 5] = 20f;
                }
            }
        }
        // protein A (row 0)
        put(y, w, 0, 0, 24, 5);
        put(p, w, 0, 0, 24, 6);
        put(p, w, 0, 24, 0, 4);
        put(y, w, 0, 0, 25, 8);
        put(p, w, 0, 0, 25, 0);
        put(p, w, 0, 25, 0, -2);
        put(y, w, 0, 1, 25, 9);
        put(p, w, 0, 1, 25, 9.5f);
        put(p, w, 0, 25, 1, 30);
        put(y, w, 0, 0, 1, 2);
        put(y, w, 0, 24, 0, 1);
        // protein B (row 1)
        put(y, w, 1, 0, 24, 3);
        put(p, w, 1, 0, 24, 3);
        put(p, w, 1, 24, 0, 1);
        put(y, w, 1, 0, 25, 4);
        HostTensor pred = t(p, 2, 1, w, w);
        HostTensor truth = t(y, 2, 1, w, w);
        ProteinWindow[] windows = {new ProteinWindow(26, 5, 5), new ProteinWindow(25, 5, 5)};
        assertEquals(2.8725, Metrics.mae8(pred, truth, windows), 1e-5);
        assertEquals(13.9975, Metrics.mae8(pred, truth), 1e-5);
        assertEquals(13.9975, Metrics.score(MetricKind.MAE8, pred, truth), 1e-5);
        // protein A cropped at (1, 1) of its padded map: residue 0 sits at window (4, 4), the value stays 4.245
        float[] cp = new float[w * w];
        float[] cy = new float[w * w];
        java.util.Arrays.fill(cp, 50f);
        java.util.Arrays.fill(cy, 100f);
        for (int r = 0; r + 1 < w; r++) {
            for (int c = 0; c + 1 < w; c++) {
                cp[r * w + c] = p[(r + 1) * w + c + 1];
                cy[r * w + c] = y[(r + 1) * w + c + 1];
            }
        }
        assertEquals(4.245, Metrics.mae8(t(cp, 1, 1, w, w), t(cy, 1, 1, w, w),
                new ProteinWindow[] {new ProteinWindow(26, 4, 4)}), 1e-5);
        assertThrows(MonaModelException.class, () -> Metrics.mae8(pred, truth, new ProteinWindow[1]));
    }

    /** Sets residue pair (i, j) of protein b (padded by 5) in a (B, 1, w, w) map. */
    private static void put(float[] a, int w, int b, int i, int j, float v) {
        a[b * w * w + (i + 5) * w + j + 5] = v;
    }

    @Test
    void badClassTargetsAreTypedErrors() {
        HostTensor p = t(new float[] {0, 1, 1, 0}, 2, 2);
        var e = assertThrows(MonaModelException.class,
                () -> Metrics.score(MetricKind.ERROR_RATE, p, t(new float[] {0, 2}, 2)));
        assertTrue(e.getMessage().contains("2.0") && e.getMessage().contains("0..1"), e.getMessage());
    }
}
