package dev.mona.core.metric;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.MonaModelException;

import java.util.Arrays;
import java.util.function.ToDoubleBiFunction;

/**
 * The reported target metrics of METHOD.md section 6, computed on the host from a split's predictions (model
 * outputs: logits or scores) and targets. Every metric is "lower is better". Exact definitions:
 * <ul>
 *   <li>{@link MetricKind#ERROR_RATE}: 100 * fraction of samples whose arg-max class differs from the target
 *       (prediction {@code (B, C)}, target class ids {@code (B)}).</li>
 *   <li>{@link MetricKind#ONE_MINUS_AUROC}: 1 - AUROC. For a {@code (B, L)} prediction the AUROC is averaged over
 *       the labels that have both classes in the target (macro); for any other shape all values are pooled
 *       into one binary problem (Cosmic's per-pixel masks, whose logits ORCA thresholds at 0 first: see
 *       {@code LoadedTask#scoreThreshold}). Ties count one half (Mann-Whitney).</li>
 *   <li>{@link MetricKind#ONE_MINUS_MAP}: 1 - mean over labels (with at least one positive) of the average
 *       precision {@code sum_n (R_n - R_(n-1)) P_n} over distinct score thresholds (scikit-learn's definition).</li>
 *   <li>{@link MetricKind#ONE_MINUS_MACRO_F1}: 1 - unweighted mean of per-class F1 = 2TP / (2TP + FP + FN) over
 *       the classes that occur in the target or the arg-max prediction.</li>
 *   <li>{@link MetricKind#MAE8}: PSICOV's MAE_8 as ORCA / NAS-Bench-360 evaluate it ({@code psicov_mae}), see
 *       {@link #mae8(HostTensor, HostTensor, ProteinWindow[])}: per protein, the mean |pred - y| over residue pairs
 *       (i, j) with j - i &gt;= 24 and true distance y &lt;= 8 A, the prediction symmetrised and floored at 0.01;
 *       then the mean over proteins (proteins without such a pair are skipped; NaN when none has one).</li>
 *   <li>{@link MetricKind#RELATIVE_L2}: mean over samples of ||pred - y|| / ||y||.</li>
 *   <li>{@link MetricKind#NRMSE}: mean over samples and channels of sqrt(mean (pred - y)^2) / sqrt(mean y^2),
 *       channel-first ({@code (B, L)} is one channel).</li>
 * </ul>
 */
public final class Metrics {
    /** PSICOV contact threshold in Angstrom. */
    public static final double MAE8_THRESHOLD = 8.0;

    private Metrics() {}

    /** The metric {@code kind} of {@code prediction} against {@code target}. */
    public static double score(MetricKind kind, HostTensor prediction, HostTensor target) {
        return switch (kind) {
            case ERROR_RATE -> errorRate(prediction, target);
            case ONE_MINUS_AUROC -> 1.0 - macroAuroc(prediction, target);
            case ONE_MINUS_MAP -> 1.0 - macroAveragePrecision(prediction, target);
            case ONE_MINUS_MACRO_F1 -> 1.0 - macroF1(prediction, target);
            case MAE8 -> mae8(prediction, target);
            case RELATIVE_L2 -> relativeL2(prediction, target);
            case NRMSE -> nrmse(prediction, target);
        };
    }

    /** Arg-max class of each row of a {@code (B, C)} prediction. */
    public static int[] argmax(HostTensor prediction) {
        int b = prediction.rows();
        int c = prediction.rowSize();
        int[] out = new int[b];
        float[] d = prediction.data();
        for (int i = 0; i < b; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (d[i * c + j] > d[i * c + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Classification error in percent. */
    public static double errorRate(HostTensor prediction, HostTensor target) {
        int[] pred = argmax(prediction);
        float[] y = classTargets(prediction, target);
        int wrong = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] != (int) y[i]) {
                wrong++;
            }
        }
        return 100.0 * wrong / pred.length;
    }

    /** Macro F1 over the classes present in the target or the prediction. */
    public static double macroF1(HostTensor prediction, HostTensor target) {
        int[] pred = argmax(prediction);
        float[] y = classTargets(prediction, target);
        int c = prediction.rowSize();
        long[] tp = new long[c];
        long[] fp = new long[c];
        long[] fn = new long[c];
        for (int i = 0; i < pred.length; i++) {
            int t = (int) y[i];
            if (pred[i] == t) {
                tp[t]++;
            } else {
                fp[pred[i]]++;
                fn[t]++;
            }
        }
        double sum = 0;
        int classes = 0;
        for (int k = 0; k < c; k++) {
            long denom = 2 * tp[k] + fp[k] + fn[k];
            if (denom > 0) {
                sum += 2.0 * tp[k] / denom;
                classes++;
            }
        }
        return classes == 0 ? 0 : sum / classes;
    }

    /** Macro AUROC (see the class comment for the shape rule). */
    public static double macroAuroc(HostTensor prediction, HostTensor target) {
        return macro(prediction, target, "AUROC", Metrics::auroc,
                "AUROC is undefined: no label has both positive and negative targets");
    }

    /** Macro average precision (see the class comment). */
    public static double macroAveragePrecision(HostTensor prediction, HostTensor target) {
        return macro(prediction, target, "mAP", Metrics::averagePrecision,
                "mAP is undefined: no label has a positive target");
    }

    /**
     * Mean of {@code perLabel(scores, labels)} over the binary columns where it is defined (not NaN);
     * {@code undefined} is the error when it is defined for none.
     */
    private static double macro(HostTensor prediction, HostTensor target, String metric,
                                ToDoubleBiFunction<double[], double[]> perLabel, String undefined) {
        sameSize(prediction, target, metric);
        double sum = 0;
        int n = 0;
        for (double[][] col : binaryColumns(prediction, target)) {
            double v = perLabel.applyAsDouble(col[0], col[1]);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            throw new MonaModelException(undefined);
        }
        return sum / n;
    }

    /** AUROC of one binary problem by the rank-sum statistic with average ranks for ties; NaN if one class. */
    public static double auroc(double[] scores, double[] labels) {
        int n = scores.length;
        Integer[] order = sortedIndices(scores, true);
        double[] rank = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = avg;
            }
            i = j + 1;
        }
        long pos = 0;
        double rankSum = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] > 0.5) {
                pos++;
                rankSum += rank[i];
            }
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Average precision of one binary problem (distinct thresholds, scikit-learn's step rule); NaN if no positive. */
    public static double averagePrecision(double[] scores, double[] labels) {
        int n = scores.length;
        Integer[] order = sortedIndices(scores, false);
        long total = 0;
        for (double l : labels) {
            if (l > 0.5) {
                total++;
            }
        }
        if (total == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double prevRecall = 0;
        long tp = 0;
        long seen = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) {
                if (labels[order[j]] > 0.5) {
                    tp++;
                }
                seen++;
                j++;
            }
            double recall = (double) tp / total;
            double precision = (double) tp / seen;
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
            i = j;
        }
        return ap;
    }

    /** Minimum sequence separation j - i of the residue pairs PSICOV's MAE_8 scores (long-range pairs). */
    public static final int MAE8_MIN_SEPARATION = 24;
    /** ORCA floors every predicted distance at this value before scoring. */
    public static final double MAE8_PREDICTION_FLOOR = 0.01;

    /**
     * PSICOV MAE_8 with unknown protein lengths: each row's window is scored as one protein of W residues starting
     * at the window's top-left corner. For a protein that was padded and placed uncropped (ORCA's test windows) this
     * gives the same value as the exact definition: the padding and window fill carry target 100 &gt; 8 and are never
     * scored, and the sequence separation is the same in window and residue coordinates. It differs only for
     * cropped windows (a crop with different row and column offsets pairs the wrong entries).
     */
    public static double mae8(HostTensor prediction, HostTensor target) {
        return mae8(prediction, target, null);
    }

    /**
     * PSICOV MAE_8 as ORCA evaluates it ({@code utils.psicov_mae}, separation 24, distance 8) on {@code (B, 1, W, W)}
     * or {@code (B, W, W)} distance maps. For each protein b with window {@code windows[b]} and each residue pair
     * i &lt; j, j - i &gt;= 24, whose four window entries (i, j) and (j, i) lie in the window:
     * <ul>
     *   <li>the true distance is the upper-triangle entry y(i, j); pairs with y &gt; 8 or y NaN are skipped;</li>
     *   <li>the prediction is symmetrised exactly as ORCA's code does it: ORCA first overwrites the upper triangle
     *       with {@code u' = (u + l) / 2} (u = p(i, j), l = p(j, i)), floors every entry at 0.01, then averages
     *       the two triangles again, so the score uses {@code (max(l, 0.01) + max((u + l) / 2, 0.01)) / 2}
     *       (weights 1/4 upper, 3/4 lower when nothing is floored);</li>
     *   <li>the protein's MAE is the mean |pred - y| over its scored pairs; a protein without any is skipped.</li>
     * </ul>
     * The result is the mean of the per-protein MAEs; NaN when no protein has a scored pair (ORCA returns +inf).
     *
     * @param windows where each row's protein lies ({@link ProteinWindow}); null: every row is one W-residue protein
     *                at offset 0 (see {@link #mae8(HostTensor, HostTensor)})
     */
    public static double mae8(HostTensor prediction, HostTensor target, ProteinWindow[] windows) {
        sameSize(prediction, target, "MAE_8");
        int rows = prediction.rows();
        int size = prediction.rowSize();
        int w = (int) Math.round(Math.sqrt(size));
        if (w * w != size) {
            throw new MonaModelException("MAE_8 needs square (B, 1, W, W) distance maps, got shape "
                    + Arrays.toString(prediction.shape()));
        }
        if (windows != null && windows.length != rows) {
            throw new MonaModelException("MAE_8 got " + windows.length + " protein windows for " + rows
                    + " rows; give one per row (or none)");
        }
        float[] p = prediction.data();
        float[] y = target.data();
        double total = 0;
        int proteins = 0;
        for (int b = 0; b < rows; b++) {
            ProteinWindow pw = windows == null ? new ProteinWindow(w, 0, 0) : windows[b];
            int base = b * size;
            double sum = 0;
            long n = 0;
            for (int i = 0; i < pw.length(); i++) {
                int ri = i + pw.rowOffset();
                int ci = i + pw.colOffset();
                if (ri < 0 || ri >= w || ci < 0 || ci >= w) {
                    continue;
                }
                for (int j = i + MAE8_MIN_SEPARATION; j < pw.length(); j++) {
                    int rj = j + pw.rowOffset();
                    int cj = j + pw.colOffset();
                    if (rj < 0 || rj >= w || cj < 0 || cj >= w) {
                        continue;
                    }
                    double truth = y[base + ri * w + cj];
                    if (Double.isNaN(truth) || truth > MAE8_THRESHOLD) {
                        continue;
                    }
                    double upper = p[base + ri * w + cj];
                    double lower = p[base + rj * w + ci];
                    double symmetric = (Math.max(lower, MAE8_PREDICTION_FLOOR)
                            + Math.max((upper + lower) / 2, MAE8_PREDICTION_FLOOR)) / 2;
                    sum += Math.abs(symmetric - truth);
                    n++;
                }
            }
            if (n > 0) {
                total += sum / n;
                proteins++;
            }
        }
        return proteins == 0 ? Double.NaN : total / proteins;
    }

    /** Mean over samples of ||pred - y|| / ||y||. */
    public static double relativeL2(HostTensor prediction, HostTensor target) {
        sameSize(prediction, target, "relative L2");
        int b = prediction.rows();
        int r = prediction.rowSize();
        double total = 0;
        for (int i = 0; i < b; i++) {
            double num = 0;
            double den = 0;
            for (int j = i * r; j < (i + 1) * r; j++) {
                double d = (double) prediction.data()[j] - target.data()[j];
                num += d * d;
                den += (double) target.data()[j] * target.data()[j];
            }
            total += Math.sqrt(num) / Math.sqrt(den);
        }
        return total / b;
    }

    /** PDEBench nRMSE, channel-first. */
    public static double nrmse(HostTensor prediction, HostTensor target) {
        sameSize(prediction, target, "nRMSE");
        long[] s = prediction.shape();
        int b = (int) s[0];
        int c = s.length >= 3 ? (int) s[1] : 1;
        int per = prediction.data().length / (b * c);
        double total = 0;
        for (int i = 0; i < b * c; i++) {
            double num = 0;
            double den = 0;
            for (int j = i * per; j < (i + 1) * per; j++) {
                double d = (double) prediction.data()[j] - target.data()[j];
                num += d * d;
                den += (double) target.data()[j] * target.data()[j];
            }
            total += Math.sqrt(num / per) / Math.sqrt(den / per);
        }
        return total / (b * c);
    }

    /** Per label: {scores, labels}; columns of a (B, L) tensor, or everything pooled for other shapes. */
    private static double[][][] binaryColumns(HostTensor prediction, HostTensor target) {
        float[] p = prediction.data();
        float[] y = target.data();
        if (prediction.shape().length == 2) {
            int b = prediction.rows();
            int l = prediction.rowSize();
            double[][][] out = new double[l][2][b];
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < l; k++) {
                    out[k][0][i] = p[i * l + k];
                    out[k][1][i] = y[i * l + k];
                }
            }
            return out;
        }
        double[][] one = new double[2][p.length];
        for (int i = 0; i < p.length; i++) {
            one[0][i] = p[i];
            one[1][i] = y[i];
        }
        return new double[][][] {one};
    }

    private static Integer[] sortedIndices(double[] scores, boolean ascending) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> ascending ? Double.compare(scores[a], scores[b])
                : Double.compare(scores[b], scores[a]));
        return idx;
    }

    private static float[] classTargets(HostTensor prediction, HostTensor target) {
        if (prediction.shape().length != 2) {
            throw new MonaModelException("a class metric needs predictions of shape (B, C), got "
                    + Arrays.toString(prediction.shape()));
        }
        if (target.data().length != prediction.rows()) {
            throw new MonaModelException("a class metric needs one class id per sample: " + prediction.rows()
                    + " predictions but targets of shape " + Arrays.toString(target.shape()));
        }
        int c = prediction.rowSize();
        for (float t : target.data()) {
            if (t < 0 || t >= c || t != Math.rint(t)) {
                throw new MonaModelException("class target " + t + " is not a class id in 0.." + (c - 1));
            }
        }
        return target.data();
    }

    private static void sameSize(HostTensor p, HostTensor y, String metric) {
        if (p.data().length != y.data().length || p.rows() != y.rows()) {
            throw new MonaModelException(metric + " needs prediction and target of equal size; got "
                    + Arrays.toString(p.shape()) + " and " + Arrays.toString(y.shape()));
        }
    }
}
