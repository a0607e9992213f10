package dev.mona.core.analysis;

import dev.mona.core.data.HostTensor;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;

/**
 * The practical estimate of the modality knowledge discrepancy (METHOD.md section 5) that this project computes.
 *
 * <p>The paper defines {@code D = inf over source label subsets B (|B| = |Y_t|) and matchings pi of
 * d(P_s(pi(Y_B) | X), P_t(Y_t | X))}. Exactly what is computed here, from the source model's class posteriors
 * {@code p_s(k | x_i)} for the target samples {@code x_i} (source classifier applied through the target
 * embedder) and the target labels {@code y_i}:
 * <ol>
 *   <li>the target-class x source-class mean posterior matrix {@code M[c][k] = mean_{i: y_i = c} p_s(k | x_i)};</li>
 *   <li>B and pi at once by a maximum-weight assignment (Hungarian) of target classes to distinct source classes
 *       on {@code M} (needs {@code |Y_s| >= |Y_t|});</li>
 *   <li>the posteriors restricted to B and renormalised over it:
 *       {@code q(c | x_i) = p_s(pi(c) | x_i) / sum_{c'} p_s(pi(c') | x_i)};</li>
 *   <li>{@code D} = the mean cross-entropy {@code -mean_i log q(y_i | x_i)}, which is the KL divergence between the
 *       one-hot target conditional and {@code q} (the target labels' entropy is zero). Probabilities are clamped
 *       at 1e-12. Also reported: the mass the source model puts on B ({@code mean_i sum_c p_s(pi(c) | x_i)}) and
 *       the matched accuracy ({@code argmax_c q(c | x_i) = y_i}).</li>
 * </ol>
 * Lower D means the source model already separates the target classes through the embedder: a smaller gap.
 */
public final class ModalityDiscrepancy {
    private ModalityDiscrepancy() {}

    /**
     * The estimate and its parts.
     *
     * @param discrepancy  mean cross-entropy of the renormalised matched posteriors to the target labels (nats)
     * @param matching     {@code matching[c]} = the source class matched to target class c
     * @param massOnSubset mean posterior mass on the matched source classes
     * @param matchedAccuracy share of samples whose matched argmax is their label
     * @param meanPosterior the target-class x source-class mean posterior matrix
     */
    public record Estimate(double discrepancy, int[] matching, double massOnSubset, double matchedAccuracy,
                           double[][] meanPosterior) {}

    /**
     * The estimate for the model in {@code params}: {@code sourceClassifier} (a linear probe fitted on the
     * pretrained encoder's source features) applied to the pooled features of the target inputs {@code x} taken
     * through the model's target embedder and encoder.
     */
    public static Estimate measure(TransferModel model, Params params, LinearProbe.Probe sourceClassifier,
                                   HostTensor x, int[] labels, int targetClasses) {
        double[][] features = LinearProbe.targetFeatures(model, params, x, LinearProbe.FEATURE_CHUNK);
        return estimate(sourceClassifier.posteriors(features), labels, targetClasses);
    }

    /**
     * @param posteriors {@code (n, |Y_s|)} source-class probabilities (rows sum to 1) of the target samples
     * @param labels     target class ids in {@code [0, |Y_t|)}
     * @param targetClasses {@code |Y_t|}
     */
    public static Estimate estimate(double[][] posteriors, int[] labels, int targetClasses) {
        int n = posteriors.length;
        if (n == 0 || n != labels.length) {
            throw new IllegalArgumentException(n + " posterior rows for " + labels.length + " labels");
        }
        int ks = posteriors[0].length;
        if (ks < targetClasses) {
            throw new IllegalArgumentException("the source model has " + ks + " classes, fewer than the "
                    + targetClasses + " target classes; the matching needs |Y_s| >= |Y_t|");
        }
        double[][] mean = new double[targetClasses][ks];
        int[] count = new int[targetClasses];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            if (c < 0 || c >= targetClasses) {
                throw new IllegalArgumentException("target label " + c + " at sample " + i + " is outside [0, "
                        + targetClasses + ")");
            }
            count[c]++;
            for (int k = 0; k < ks; k++) {
                mean[c][k] += posteriors[i][k];
            }
        }
        for (int c = 0; c < targetClasses; c++) {
            for (int k = 0; k < ks; k++) {
                mean[c][k] /= Math.max(1, count[c]);
            }
        }
        int[] pi = Hungarian.maximize(mean);
        double ce = 0;
        double mass = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double z = 0;
            int best = 0;
            double bestP = -1;
            for (int c = 0; c < targetClasses; c++) {
                double p = posteriors[i][pi[c]];
                z += p;
                if (p > bestP) {
                    bestP = p;
                    best = c;
                }
            }
            mass += z;
            double q = Math.max(posteriors[i][pi[labels[i]]] / Math.max(z, 1e-300), 1e-12);
            ce -= Math.log(q);
            if (best == labels[i]) {
                correct++;
            }
        }
        return new Estimate(ce / n, pi, mass / n, (double) correct / n, mean);
    }
}
