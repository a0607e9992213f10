package dev.mona.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.model.MonaModelException;
import dev.mona.core.model.Params;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes a model's {@link Params} as safetensors, checking names and shapes against the model. */
public final class ParamsIO {
    private static final Logger LOG = LoggerFactory.getLogger(ParamsIO.class);

    private ParamsIO() {}

    /**
     * Result of a load.
     *
     * @param params  the model's parameters with every name found in the file replaced by the file's values
     * @param unknown names in the file that the model does not have (ignored)
     * @param missing names of the model that the file lacks (kept at the model's own values)
     */
    public record LoadReport(Params params, List<String> unknown, List<String> missing) {}

    /** Writes {@code params} (names as keys) with {@code metadata} to {@code file}, atomically. */
    public static void save(Path file, Params params, Map<String, String> metadata) {
        SafetensorsWriter.write(file, params.asMap(), metadata);
    }

    /**
     * Loads {@code file} over {@code model}: every name of {@code model} found in the file gets a new array in
     * {@code manager} holding the file's values (cast to the model's data type; shapes must agree). With
     * {@code strict}, any unknown or missing name is a {@link ParameterMismatchException} listing them all.
     */
    public static LoadReport load(Path file, Params model, NDManager manager, boolean strict) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            return load(st, model, manager, strict);
        }
    }

    /** As {@link #load(Path, Params, NDManager, boolean)} on an open file. */
    public static LoadReport load(SafetensorsFile st, Params model, NDManager manager, boolean strict) {
        Map<String, SafetensorsFile.TensorInfo> inFile = st.tensors();
        List<String> unknown = new ArrayList<>();
        for (String n : inFile.keySet()) {
            if (!model.has(n)) {
                unknown.add(n);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String n : model.names()) {
            if (!inFile.containsKey(n)) {
                missing.add(n);
            }
        }
        if (strict && (!unknown.isEmpty() || !missing.isEmpty())) {
            throw new ParameterMismatchException(st.file(), unknown, missing);
        }
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            LOG.warn("{}: {} unknown parameter names ignored {}, {} missing kept at their initial values {}",
                    st.file(), unknown.size(), head(unknown), missing.size(), head(missing));
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.asMap().entrySet()) {
            String name = e.getKey();
            NDArray current = e.getValue();
            SafetensorsFile.TensorInfo info = inFile.get(name);
            if (info == null) {
                out.put(name, current);
                continue;
            }
            Shape want = current.getShape();
            if (!Arrays.equals(want.getShape(), info.shape())) {
                throw new MonaModelException("parameter '" + name + "' in " + st.file() + " has shape "
                        + Arrays.toString(info.shape()) + " but the model expects " + want
                        + ". Check that the file was written for this configuration.");
            }
            NDArray loaded = st.toNDArray(name, manager);
            if (loaded.getDataType() != current.getDataType()) {
                NDArray cast = loaded.toType(current.getDataType(), false);
                loaded.close();
                loaded = cast;
            }
            out.put(name, loaded);
        }
        return new LoadReport(Params.of(out), List.copyOf(unknown), List.copyOf(missing));
    }

    private static String head(List<String> names) {
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " ...";
    }
}
