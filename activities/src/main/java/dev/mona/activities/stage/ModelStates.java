package dev.mona.activities.stage;

import dev.mona.activities.interim.InterimMlp;
import dev.mona.core.data.HostTensor;
import dev.mona.workflows.TransferMethod;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the target model's starting parameters from the source weights and a stage-1 state. */
final class ModelStates {
    private ModelStates() {}

    static Map<String, HostTensor> initial(TransferMethod method, int inDim, int classes,
                                           Map<String, HostTensor> source, Map<String, HostTensor> aligned,
                                           long seed) {
        int width = (int) source.get("encoder.bias").shape()[0];
        Map<String, HostTensor> p = InterimMlp.initialise(inDim, 16, width, classes, seed);
        if (method != TransferMethod.SCRATCH) {
            source.forEach((k, v) -> {
                if (k.startsWith("encoder.")) {
                    p.put(k, v);
                }
            });
        }
        if (aligned != null) {
            aligned.forEach((k, v) -> {
                if (k.startsWith("embedder.") || k.startsWith("predictor.")) {
                    p.put(k, v);
                }
            });
        }
        return InterimMlp.copy(p);
    }

    static Map<String, HostTensor> only(Map<String, HostTensor> p, String... prefixes) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            for (String pre : prefixes) {
                if (k.startsWith(pre)) {
                    out.put(k, v);
                }
            }
        });
        return out;
    }
}
