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
        // MAE_8 over target entries below 8 only: |7-5| and |3-3.5| -> 1.25 (the 12 and 20 entries are ignored)
        HostTensor dp = t(new float[] {7, 3, 0, 100}, 1, 2, 2);
        HostTensor dy = t(new float[] {5, 3.5f, 12, 20}, 1, 2, 2);
        assertEquals(1.25, Metrics.score(MetricKind.MAE8, dp, dy), 1e-7);
        assertTrue(Double.isNaN(Metrics.mae8(dp, t(new float[] {9, 9, 9, 9}, 1, 2, 2))));
    }

    @Test
    void badClassTargetsAreTypedErrors() {
        HostTensor p = t(new float[] {0, 1, 1, 0}, 2, 2);
        var e = assertThrows(MonaModelException.class,
                () -> Metrics.score(MetricKind.ERROR_RATE, p, t(new float[] {0, 2}, 2)));
        assertTrue(e.getMessage().contains("2.0") && e.getMessage().contains("0..1"), e.getMessage());
    }
}
