package dev.mona.activities.stage;

import dev.mona.activities.Settings;
import dev.mona.activities.interim.InterimMlp;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;

import java.util.Map;

/** Probe stage: linear probe of source knowledge on frozen encoder features of the labelled source set. */
public final class ProbeStage {
    private ProbeStage() {}

    public static final String IMPLEMENTATION = "interim:softmax-probe-v1";
    /**
     * Catalogue tasks: core's {@code LinearProbe} on pooled encoder features (through the source embedder), fitted
     * on the labelled source set and scored on the held-out probe set.
     */
    public static final String CORE_IMPLEMENTATION = "core:linear-probe";

    public static String[] configKeys() {
        return new String[]{"probe.epochs"};
    }

    /** Error rate (%) of a linear classifier on the encoder's features of the source set. */
    public static double error(Map<String, HostTensor> encoderParams, DataSplit sourceSet, Settings s) {
        HostTensor features = InterimMlp.sourceFeatures(encoderParams, sourceSet.x());
        return InterimMlp.probeError(features, sourceSet.y(), 4, s.integer("probe.epochs"));
    }
}
