package dev.mona.core.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * A float32 weight on the heap with its (Hugging Face) name, between a weight file and the engine.
 *
 * @param name  parameter name
 * @param shape dimensions
 * @param data  row-major values
 */
public record NamedTensor(String name, long[] shape, float[] data) {
    public NamedTensor {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new PretrainedWeightsException("weight '" + name + "' declares shape " + Arrays.toString(shape)
                    + " but holds " + data.length + " values");
        }
    }

    /** The transpose of a 2-D weight ({@code [in, out]} to {@code [out, in]}). */
    public NamedTensor transposed(String newName) {
        if (shape.length != 2) {
            throw new PretrainedWeightsException("cannot transpose '" + name + "' of shape " + Arrays.toString(shape));
        }
        int r = (int) shape[0];
        int c = (int) shape[1];
        float[] t = new float[data.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j * r + i] = data[i * c + j];
            }
        }
        return new NamedTensor(newName, new long[]{c, r}, t);
    }

    /** An engine array of the values in {@code manager}. */
    public NDArray toArray(NDManager manager) {
        return manager.create(data, new Shape(shape));
    }
}
