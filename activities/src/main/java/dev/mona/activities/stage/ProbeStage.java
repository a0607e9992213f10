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
     * Catalogue tasks: core encoder features (mean over tokens, through the source embedder) of the held-out
     * source probe set; the linear classifier on top is this module's softmax regression until core's
     * {@code LinearProbe} lands.
     */
    public static final String CORE_IMPLEMENTATION = "core-features+softmax-probe-v1";

    public static String[] configKeys() {
        return new String[]{"probe.epochs"};
    }

    /** Error rate (%) of a linear classifier on the encoder's features of the source set. */
    public static double error(Map<String, HostTensor> encoderParams, DataSplit sourceSet, Settings s) {
        HostTensor features = InterimMlp.sourceFeatures(encoderParams, sourceSet.x());
        return InterimMlp.probeError(features, sourceSet.y(), 4, s.integer("probe.epochs"));
    }
}
