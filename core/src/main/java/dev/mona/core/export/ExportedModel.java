package dev.mona.core.export;

import ai.onnx.proto.OnnxMl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exported ONNX model: the protobuf plus the facts a manifest records about it.
 *
 * @param model        the ONNX model (IR version 8, opset 17, input {@code input}, output {@code output})
 * @param inputShape   shape of one input sample (the batch axis is dynamic and not included)
 * @param outputShape  shape of one output sample
 */
public record ExportedModel(OnnxMl.ModelProto model, long[] inputShape, long[] outputShape) {
    /** Name of the graph input. */
    public static final String INPUT = "input";
    /** Name of the graph output. */
    public static final String OUTPUT = "output";

    /** The serialized model. */
    public byte[] bytes() {
        return model.toByteArray();
    }

    /** The {@code metadata_props} as a map. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    /** Writes the model to {@code file} (parent directories are created). */
    public void write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model to " + file, e);
        }
    }
}
