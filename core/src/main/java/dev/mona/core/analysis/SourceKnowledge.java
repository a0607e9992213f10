package dev.mona.core.analysis;

import dev.mona.core.data.DataSplit;
import dev.mona.core.method.AlignmentUniformity;
import dev.mona.core.method.MonaConfig;
import dev.mona.core.method.UniformityPairs;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;

/**
 * The source-knowledge numbers of one encoder on a held-out labelled source set, all from the same pooled features
 * through the source embedder: the linear-probe error, and the alignment and uniformity (t = 2, all pairs) of the
 * evaluation part's normalised features.
 */
public final class SourceKnowledge {
    private SourceKnowledge() {}

    /** Probe error (fit on {@code fit}, scored on {@code eval}), alignment and uniformity of {@code eval}. */
    public record Report(double probeError, double alignment, double uniformity) {}

    public static Report measure(TransferModel model, Params params, DataSplit fit, DataSplit eval, int classes) {
        double[][] ff = LinearProbe.sourceFeatures(model, params, fit.x(), LinearProbe.FEATURE_CHUNK);
        double[][] fe = LinearProbe.sourceFeatures(model, params, eval.x(), LinearProbe.FEATURE_CHUNK);
        int[] ye = LinearProbe.labels(eval.y());
        double err = LinearProbe.fit(ff, LinearProbe.labels(fit.y()), classes, LinearProbe.Config.defaults())
                .errorRate(fe, ye);
        return new Report(err, AlignmentUniformity.alignment(fe, ye),
                AlignmentUniformity.uniformity(fe, ye, MonaConfig.DEFAULT_TEMPERATURE, UniformityPairs.ALL));
    }
}
