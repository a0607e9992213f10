package dev.mona.activities.stage;

import dev.mona.activities.Settings;
import dev.mona.activities.interim.InterimMlp;
import dev.mona.activities.interim.InterimTasks;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.workflows.InvalidRequestException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Source stage: the pretrained source encoder and its labelled source set. */
public final class SourceStage {
    private SourceStage() {}

    /** Until core's encoders and the offline pretraining land: a small encoder pretrained here on source blobs. */
    public static final String IMPLEMENTATION = "interim:mlp-source-pretraining-v1";
    /** The only source encoder of the interim implementation. */
    public static final String DEFAULT_ENCODER = "interim-mlp";

    /** The encoder name to use, a typed error for an unknown one. */
    public static String resolve(String requested) {
        String name = requested == null || requested.isBlank() ? DEFAULT_ENCODER : requested;
        if (!name.equals(DEFAULT_ENCODER)) {
            throw new InvalidRequestException("unknown source encoder '" + name + "'; available: " + DEFAULT_ENCODER);
        }
        return name;
    }

    public static String[] configKeys() {
        return new String[]{"width", "source.samples", "source.epochs", "lr", "batch"};
    }

    /** The labelled source set (MoNA's outer loss and the linear probe use it). */
    public static DataSplit sourceSet(Settings s, long seed) {
        return InterimTasks.sourceSet(s.integer("source.samples"), seed);
    }

    /**
     * Pretrains the encoder (with its source embedding layer) on the source set. Returns {@code encoder.*} and the
     * source head {@code source.head.*}.
     */
    public static Map<String, HostTensor> pretrain(DataSplit sourceSet, Settings s, long seed,
                                                   InterimMlp.StepListener listener) {
        int width = s.integer("width");
        Map<String, HostTensor> p = InterimMlp.initialise(16, 16, width, 4, seed);
        long step = 0;
        for (int e = 0; e < s.integer("source.epochs"); e++) {
            InterimMlp.trainEpoch(p, "encoder.source", "predictor", sourceSet, Set.of("encoder", "predictor"),
                    s.number("lr"), s.integer("batch"), seed + e, step, listener);
            step += (sourceSet.size() + s.integer("batch") - 1) / s.integer("batch");
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("encoder.")) {
                out.put(k, v);
            } else if (k.startsWith("predictor.")) {
                out.put("source.head." + k.substring("predictor.".length()), v);
            }
        });
        return out;
    }
}
