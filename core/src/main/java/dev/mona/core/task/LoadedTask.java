package dev.mona.core.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.metric.Loss;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.metric.Metrics;
import dev.mona.core.metric.ProteinWindow;
import dev.mona.core.metric.Scorer;
import dev.mona.core.train.HostBatchLoader;

/**
 * What a {@link TaskLoader} returns: the splits, and for tasks whose targets are normalised (Darcy, 1-D CFD) the
 * normaliser: such a task is trained ({@link #trainingLoss}) and scored ({@link #scorer}) on outputs and targets
 * decoded to physical units, as ORCA does for Darcy (ORCA keeps 1-D CFD in z-scores; here it follows PDEBench's
 * nRMSE of the physical fields instead). For tasks scored per recording over several rows (FSD50K: one row per
 * one-second chunk, scored per clip) the clip of every validation and test row.
 *
 * @param data                train, validation and test splits
 * @param targetNormalizer    normaliser applied to all targets, or null
 * @param validationClipOfRow for each validation row, the index of the clip it belongs to; null when rows are
 *                            scored one by one
 * @param testClipOfRow       the same for the test rows
 * @param validationProteins  PSICOV: for each validation row, where its protein lies in the window (length and
 *                            offsets), for {@link dev.mona.core.metric.Metrics#mae8(HostTensor, HostTensor,
 *                            ProteinWindow[])}; null for other tasks
 * @param testProteins        the same for the test rows
 * @param scoreThreshold      outputs are binarised at this value ({@code output > threshold}) before the metric, as
 *                            ORCA scores Cosmic ({@code inv_auroc}: the AUROC of the thresholded logits over all
 *                            pixels); NaN for none
 */
public record LoadedTask(TaskData data, UnitGaussianNormalizer targetNormalizer, int[] validationClipOfRow,
                         int[] testClipOfRow, ProteinWindow[] validationProteins, ProteinWindow[] testProteins,
                         double scoreThreshold) {

    public LoadedTask(TaskData data, UnitGaussianNormalizer targetNormalizer, int[] validationClipOfRow,
                      int[] testClipOfRow, ProteinWindow[] validationProteins, ProteinWindow[] testProteins) {
        this(data, targetNormalizer, validationClipOfRow, testClipOfRow, validationProteins, testProteins,
                Double.NaN);
    }

    public LoadedTask(TaskData data, UnitGaussianNormalizer targetNormalizer) {
        this(data, targetNormalizer, null, null);
    }

    public LoadedTask(TaskData data, UnitGaussianNormalizer targetNormalizer, int[] validationClipOfRow,
                      int[] testClipOfRow) {
        this(data, targetNormalizer, validationClipOfRow, testClipOfRow, null, null);
    }

    public static LoadedTask of(TaskData data) {
        return new LoadedTask(data, null);
    }

    /**
     * The training loss: {@code base} on outputs and targets decoded to physical units when the targets are
     * normalised (ORCA's training loop decodes Darcy's before its relative L2), else {@code base} itself. The decode
     * {@code v * (std + eps) + mean} is differentiable twice, as MoNA's inner step needs.
     */
    public Loss trainingLoss(Loss base) {
        UnitGaussianNormalizer n = targetNormalizer;
        if (n == null) {
            return base;
        }
        float[] scale = new float[n.std().length];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = (float) (n.std()[i] + n.eps());
        }
        float[] mean = n.mean().clone();
        // a reused staging buffer: no direct buffer per batch left for the garbage collector (HostBatchLoader)
        HostBatchLoader loader = new HostBatchLoader();
        return (prediction, target) -> {
            Shape sample = prediction.getShape().slice(1);
            if (sample.size() != scale.length) {
                throw new IllegalArgumentException("target normaliser fitted on samples of " + scale.length
                        + " values, but the model outputs " + sample);
            }
            // the target's manager is the batch's (a prediction may carry a long-lived parameter's manager)
            NDManager m = target.getManager();
            NDArray s;
            NDArray mu;
            synchronized (loader) {
                s = loader.load(new HostTensor(scale, sample.getShape()), m, prediction.getDataType());
                mu = loader.load(new HostTensor(mean, sample.getShape()), m, prediction.getDataType());
            }
            return base.apply(prediction.mul(s).add(mu), target.mul(s).add(mu));
        };
    }

    /** This task with its outputs binarised at {@code threshold} before scoring. */
    public LoadedTask withScoreThreshold(double threshold) {
        return new LoadedTask(data, targetNormalizer, validationClipOfRow, testClipOfRow, validationProteins,
                testProteins, threshold);
    }

    /** The validation split's evaluation protocol for {@code metric} (see {@link #scorer}). */
    public Scorer validationScorer(MetricKind metric) {
        return scorer(metric, targetNormalizer, validationClipOfRow, validationProteins, scoreThreshold);
    }

    /** The test split's evaluation protocol for {@code metric} (see {@link #scorer}). */
    public Scorer testScorer(MetricKind metric) {
        return scorer(metric, targetNormalizer, testClipOfRow, testProteins, scoreThreshold);
    }

    /**
     * ORCA's evaluation protocol: outputs and targets are decoded to physical units when the task normalises its
     * targets (Darcy: the relative L2 of the fields, not of their z-scores; 1-D CFD likewise, see the class
     * comment); rows are averaged per clip when a recording spans several rows (FSD50K: mAP over clips, each the
     * mean of its chunks' logits); PSICOV's MAE_8 counts each protein's own residue pairs
     * ({@link Metrics#mae8(HostTensor, HostTensor, ProteinWindow[])}).
     * Any of {@code normalizer}, {@code clipOfRow} and {@code proteins} may be null.
     */
    public static Scorer scorer(MetricKind metric, UnitGaussianNormalizer normalizer, int[] clipOfRow,
                                ProteinWindow[] proteins) {
        return scorer(metric, normalizer, clipOfRow, proteins, Double.NaN);
    }

    /**
     * As {@link #scorer(MetricKind, UnitGaussianNormalizer, int[], ProteinWindow[])}, then outputs binarised at
     * {@code threshold} (NaN: kept as they are).
     */
    public static Scorer scorer(MetricKind metric, UnitGaussianNormalizer normalizer, int[] clipOfRow,
                                ProteinWindow[] proteins, double threshold) {
        if (normalizer == null && clipOfRow == null && proteins == null && Double.isNaN(threshold)) {
            return Scorer.of(metric);
        }
        return (prediction, target) -> {
            HostTensor p = prediction;
            HostTensor y = target;
            if (normalizer != null) {
                p = normalizer.decode(p);
                y = normalizer.decode(y);
            }
            if (clipOfRow != null) {
                p = meanPerClip(p, clipOfRow);
                y = meanPerClip(y, clipOfRow);
            }
            if (!Double.isNaN(threshold)) {
                p = binarised(p, threshold);
            }
            if (metric == MetricKind.MAE8 && proteins != null) {
                return Metrics.mae8(p, y, proteins);
            }
            return Metrics.score(metric, p, y);
        };
    }

    private static HostTensor binarised(HostTensor t, double threshold) {
        float[] in = t.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] > threshold ? 1f : 0f;
        }
        return new HostTensor(out, t.shape().clone());
    }

    /**
     * Rows averaged per clip, in clip order: ORCA scores an FSD50K clip by the mean of its chunks' logits and
     * compares it with the clip's label vector (every row of a clip carries it). Use on predictions and on targets
     * alike; with {@code clipOfRow == null} the rows are returned unchanged.
     */
    public static HostTensor meanPerClip(HostTensor rows, int[] clipOfRow) {
        if (clipOfRow == null) {
            return rows;
        }
        if (clipOfRow.length != rows.rows()) {
            throw new IllegalArgumentException("clip index has " + clipOfRow.length + " rows but the tensor has "
                    + rows.rows());
        }
        int clips = 0;
        for (int c : clipOfRow) {
            clips = Math.max(clips, c + 1);
        }
        int r = rows.rowSize();
        double[] sum = new double[clips * r];
        int[] count = new int[clips];
        float[] d = rows.data();
        for (int i = 0; i < clipOfRow.length; i++) {
            count[clipOfRow[i]]++;
            for (int j = 0; j < r; j++) {
                sum[clipOfRow[i] * r + j] += d[i * r + j];
            }
        }
        float[] out = new float[clips * r];
        for (int c = 0; c < clips; c++) {
            for (int j = 0; j < r; j++) {
                out[c * r + j] = count[c] == 0 ? 0 : (float) (sum[c * r + j] / count[c]);
            }
        }
        long[] shape = rows.shape().clone();
        shape[0] = clips;
        return new HostTensor(out, shape);
    }
}
