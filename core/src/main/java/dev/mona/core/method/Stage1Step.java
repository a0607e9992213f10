package dev.mona.core.method;

/**
 * The losses and diagnostics of one stage-1 optimiser step, as {@link Stage1Listener}s receive them (summary files,
 * heartbeats). Each method fills what it computes and leaves the rest null: Emb its task loss, ORCA its OTDD, MoNA
 * its losses and the split of its meta-gradient (see {@link MonaAligner.MetaStep}).
 *
 * @param step             optimiser steps done in the stage (1-based position of this step)
 * @param innerLoss        task loss on the target batch: Emb's step loss, MoNA's L_in
 * @param alignment        MoNA: L_align of the source features after the inner step
 * @param uniformity       MoNA: L_unif of the source features after the inner step
 * @param otdd             ORCA: sum over classes of w_c OTDD (up to the constant source term)
 * @param directNorm       MoNA: ||grad_phi L_in||
 * @param knowledgeNorm    MoNA: ||lambda grad_phi L_out(theta'(phi))||, the knowledge-preservation term
 * @param cosine           MoNA: cosine between the direct and the knowledge term
 * @param alignmentBefore  MoNA: L_align of the same source batch before the inner step, on the meta-steps that
 *                         measure it ({@link MonaConfig#diagnosesBefore(int)}), else null
 * @param uniformityBefore MoNA: L_unif of the same source batch before the inner step, where alignmentBefore is
 */
public record Stage1Step(long step, Double innerLoss, Double alignment, Double uniformity, Double otdd,
                         Double directNorm, Double knowledgeNorm, Double cosine, Double alignmentBefore,
                         Double uniformityBefore) {
    /** Emb's step: its task loss. */
    public static Stage1Step embedder(long step, double taskLoss) {
        return new Stage1Step(step, taskLoss, null, null, null, null, null, null, null, null);
    }

    /** ORCA's embedder epoch: its OTDD. */
    public static Stage1Step orca(long step, double otdd) {
        return new Stage1Step(step, null, null, null, otdd, null, null, null, null, null);
    }

    /** A MoNA meta-step. */
    public static Stage1Step mona(long step, MonaAligner.MetaStep s) {
        return new Stage1Step(step, s.innerLoss(), s.alignment(), s.uniformity(), null, s.directNorm(),
                s.knowledgeNorm(), s.cosine(), measured(s.alignmentBefore()), measured(s.uniformityBefore()));
    }

    /** A before-step figure, null on the meta-steps that skip it (NaN in {@link MonaAligner.MetaStep}). */
    private static Double measured(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** {@code knowledgeNorm / directNorm} (MoNA only, else null): near zero, MoNA's update is Emb's. */
    public Double ratio() {
        return knowledgeNorm == null || directNorm == null ? null : knowledgeNorm / directNorm;
    }
}
