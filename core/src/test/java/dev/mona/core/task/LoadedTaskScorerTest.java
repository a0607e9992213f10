package dev.mona.core.task;

import dev.mona.core.data.HostTensor;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.metric.Metrics;
import dev.mona.core.metric.ProteinWindow;
import dev.mona.core.metric.Scorer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class LoadedTaskScorerTest {
    @Test
    void normalisedTargetsAreScoredInPhysicalUnits() {
        // mean (3, 4), std 1: the normalised target (0, 0) is the field (3, 4) of norm 5; the prediction (0, 1)
        // decodes to (3, 5), an error of norm 1: relative L2 1/5 (on the z-scores it would divide by zero)
        UnitGaussianNormalizer n = new UnitGaussianNormalizer(new float[] {3, 4}, new float[] {1, 1}, 0);
        HostTensor y = new HostTensor(new float[] {0, 0}, new long[] {1, 2});
        HostTensor p = new HostTensor(new float[] {0, 1}, new long[] {1, 2});
        assertEquals(0.2, LoadedTask.scorer(MetricKind.RELATIVE_L2, n, null, null).score(p, y), 1e-7);
        assertEquals(Double.POSITIVE_INFINITY, Scorer.of(MetricKind.RELATIVE_L2).score(p, y));
    }

    @Test
    void clipsAreScoredOnTheirMeanLogits() {
        // clip 0 = rows 0 and 1 (label 1), clip 1 = row 2 (label 1); row 0 alone votes class 0, the clip mean
        // (-0.5, 0) votes class 1: per clip no error, per row one in three
        HostTensor logits = new HostTensor(new float[] {2, 0, -3, 0, 0, 1}, new long[] {3, 2});
        HostTensor labels = new HostTensor(new float[] {1, 1, 1}, new long[] {3});
        int[] clips = {0, 0, 1};
        assertEquals(0.0, LoadedTask.scorer(MetricKind.ERROR_RATE, null, clips, null).score(logits, labels));
        assertEquals(100.0 / 3, Scorer.of(MetricKind.ERROR_RATE).score(logits, labels), 1e-12);
        LoadedTask t = new LoadedTask(null, null, null, clips);
        assertEquals(0.0, t.testScorer(MetricKind.ERROR_RATE).score(logits, labels));
        assertEquals(100.0 / 3, t.validationScorer(MetricKind.ERROR_RATE).score(logits, labels), 1e-12);
    }

    @Test
    void psicovWindowsReachMae8() {
        // residue pairs 24 apart exist only in windows longer than 24
        SplittableRandom r = new SplittableRandom(3);
        int w = 40;
        float[] p = new float[w * w];
        float[] y = new float[w * w];
        for (int i = 0; i < p.length; i++) {
            y[i] = (float) (r.nextDouble() * 12);
            p[i] = y[i] + (float) r.nextGaussian();
        }
        HostTensor pt = new HostTensor(p, new long[] {1, 1, w, w});
        HostTensor yt = new HostTensor(y, new long[] {1, 1, w, w});
        ProteinWindow[] windows = {new ProteinWindow(30, 2, 5)};
        double scored = LoadedTask.scorer(MetricKind.MAE8, null, null, windows).score(pt, yt);
        assertEquals(Metrics.mae8(pt, yt, windows), scored, 0.0);
        assertNotEquals(Metrics.mae8(pt, yt, null), scored);
    }

    @Test
    void cosmicScoresThresholdedLogits() {
        // pixels with logits (2, -1, 0.5, -3) and mask (1, 0, 0, 0): raw scores rank the cosmic ray first (AUROC 1);
        // ORCA's logits > 0 give (1, 0, 1, 0): TPR 1, FPR 1/3, AUROC (1 + 2/3) / 2 = 5/6
        HostTensor logits = new HostTensor(new float[] {2, -1, 0.5f, -3}, new long[] {1, 1, 2, 2});
        HostTensor mask = new HostTensor(new float[] {1, 0, 0, 0}, new long[] {1, 1, 2, 2});
        assertEquals(0.0, Scorer.of(MetricKind.ONE_MINUS_AUROC).score(logits, mask), 1e-12);
        assertEquals(1.0 / 6, LoadedTask.scorer(MetricKind.ONE_MINUS_AUROC, null, null, null, 0).score(logits, mask),
                1e-12);
        LoadedTask t = new LoadedTask(null, null).withScoreThreshold(0);
        assertEquals(1.0 / 6, t.testScorer(MetricKind.ONE_MINUS_AUROC).score(logits, mask), 1e-12);
    }

    @Test
    void multiLabelLossesCarryOrcasPositiveWeights() {
        assertArrayEquals(new double[] {10}, TaskCatalog.get("nb360-fsd50k").lossOptions().posWeight());
        assertArrayEquals(new double[] {4}, TaskCatalog.get("nb360-deepsea").lossOptions().posWeight());
        assertArrayEquals(new double[0], TaskCatalog.get("nb360-cifar100").lossOptions().posWeight());
        assertEquals(dev.mona.core.metric.LossKind.BCE_POS_WEIGHT, TaskCatalog.get("nb360-fsd50k").loss());
    }

    @Test
    void normalisedTargetsAreTrainedInPhysicalUnits() {
        // the scorer's example as a training loss: (0, 1) against (0, 0) in z-scores is (3, 5) against (3, 4)
        UnitGaussianNormalizer n = new UnitGaussianNormalizer(new float[] {3, 4}, new float[] {1, 1}, 0);
        LoadedTask t = new LoadedTask(null, n);
        try (ai.djl.ndarray.NDManager m = dev.mona.core.engine.Engines.newManager(ai.djl.Device.cpu())) {
            ai.djl.ndarray.NDArray p = m.create(new float[] {0, 1}, new ai.djl.ndarray.types.Shape(1, 2));
            ai.djl.ndarray.NDArray y = m.create(new float[] {0, 0}, new ai.djl.ndarray.types.Shape(1, 2));
            dev.mona.core.metric.Loss base = dev.mona.core.metric.Losses.of(dev.mona.core.metric.LossKind.RELATIVE_L2);
            assertEquals(0.2, t.trainingLoss(base).apply(p, y).getFloat(), 1e-6);
            assertEquals(base, LoadedTask.of(null).trainingLoss(base), "no normaliser: the loss itself");
        }
    }
}
