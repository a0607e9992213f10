package dev.mona.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.HostTensor;
import dev.mona.core.model.Params;

/** Copies model parameters to the host as float32, the element type of every exported initializer. */
public final class Weights {
    private Weights() {}

    /** The parameter {@code name} of {@code params} as a float32 host tensor (a typed error when absent). */
    public static HostTensor of(Params params, String name) {
        return of(params.get(name));
    }

    public static HostTensor of(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return new HostTensor(a.toFloatArray(), a.getShape().getShape());
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return new HostTensor(f.toFloatArray(), a.getShape().getShape());
        }
    }
}
