package dev.mona.core.export;

import dev.mona.core.task.TaskSpec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an exported model says about itself, written into the ONNX {@code metadata_props}: the task it solves,
 * the method and architecture that made it, and the run's provenance (data digests, resolved configuration,
 * library versions, seed, hardware, time), so that a model file found later can be traced back to its run.
 *
 * @param task        catalogue name of the target task, e.g. {@code nb360-darcy}
 * @param taskKind    {@code CLASSIFICATION}, {@code MULTILABEL} or {@code DENSE}
 * @param method      training method, e.g. {@code MONA}, {@code ORCA}, {@code FT}
 * @param classes     number of classes (0 for dense tasks)
 * @param provenance  free-form provenance entries (keys without prefix; written as {@code mona.provenance.KEY})
 */
public record ExportMetadata(String task, String taskKind, String method, int classes, Map<String, String> provenance) {
    /** Prefix of every key mona writes. */
    public static final String PREFIX = "mona.";

    public ExportMetadata {
        provenance = Map.copyOf(provenance);
    }

    /** Metadata for a model of the catalogue task {@code task} trained with {@code method}. */
    public static ExportMetadata of(TaskSpec task, String method, Map<String, String> provenance) {
        return new ExportMetadata(task.name(), task.kind().name(), method, task.classes(), provenance);
    }

    /**
     * The key/value pairs for {@code metadata_props}, with the architecture and shapes the exporter derived.
     */
    public Map<String, String> toProps(Architecture architecture, long[] inputShape, long[] outputShape) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "task", task);
        m.put(PREFIX + "task_kind", taskKind);
        m.put(PREFIX + "method", method);
        m.put(PREFIX + "classes", Integer.toString(classes));
        m.put(PREFIX + "embedder", architecture.embedder());
        m.put(PREFIX + "encoder", architecture.encoder());
        m.put(PREFIX + "predictor", architecture.predictor());
        m.put(PREFIX + "input_shape", shape(inputShape));
        m.put(PREFIX + "output_shape", shape(outputShape));
        m.put(PREFIX + "opset", Long.toString(OnnxGraph.OPSET));
        new TreeMap<>(provenance).forEach((k, v) -> m.put(PREFIX + "provenance." + k, v));
        return m;
    }

    private static String shape(long[] sample) {
        String s = Arrays.toString(sample);
        return "[" + OnnxGraph.BATCH + (sample.length == 0 ? "" : ", " + s.substring(1, s.length() - 1)) + "]";
    }

    /** The names of the three parts of an exported {@code TransferModel}. */
    public record Architecture(String embedder, String encoder, String predictor) {}
}
