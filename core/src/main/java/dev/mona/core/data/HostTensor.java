package dev.mona.core.data;

import java.util.Arrays;

/**
 * A dense float tensor on the Java heap, row-major: data sets and labels live here, off the engine, until a
 * batch is moved into a step's manager. Class labels are stored as float class ids.
 */
public record HostTensor(float[] data, long[] shape) {
    public HostTensor {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values but the data has " + data.length);
        }
    }

    /** Number of samples (the first dimension). */
    public int rows() {
        return (int) shape[0];
    }

    /** Values per sample. */
    public int rowSize() {
        return rows() == 0 ? 0 : data.length / rows();
    }

    /** Shape of one sample. */
    public long[] sampleShape() {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** The samples at {@code indices}, in that order. */
    public HostTensor rows(int[] indices) {
        int r = rowSize();
        float[] out = new float[indices.length * r];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data, indices[i] * r, out, i * r, r);
        }
        long[] s = shape.clone();
        s[0] = indices.length;
        return new HostTensor(out, s);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public HostTensor slice(int from, int to) {
        int r = rowSize();
        long[] s = shape.clone();
        s[0] = to - from;
        return new HostTensor(Arrays.copyOfRange(data, from * r, to * r), s);
    }
}
