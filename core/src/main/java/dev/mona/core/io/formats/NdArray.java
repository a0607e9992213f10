package dev.mona.core.io.formats;

import java.util.Arrays;

/**
 * An n-dimensional array as read from a numpy, pickle, HDF5 or MATLAB file, in row-major (C) order whatever the
 * file's order was. The element type is kept (a uint8 image set stays bytes) until {@link #toFloatArray()} or
 * {@link #toDoubleArray()} converts it.
 *
 * @param dtype element type
 * @param shape dimensions, outermost first ({@code []} for a scalar)
 * @param data  a primitive array matching {@link DType#javaType()}, or {@code Object[]} for object arrays
 */
public record NdArray(DType dtype, long[] shape, Object data) {

    /** Element types; unsigned values are stored in the signed Java type of the same width. */
    public enum DType {
        BOOL(1, byte[].class), INT8(1, byte[].class), UINT8(1, byte[].class), INT16(2, short[].class),
        UINT16(2, short[].class), INT32(4, int[].class), UINT32(4, int[].class), INT64(8, long[].class),
        UINT64(8, long[].class), FLOAT32(4, float[].class), FLOAT64(8, double[].class), OBJECT(0, Object[].class);

        private final int bytes;
        private final Class<?> javaType;

        DType(int bytes, Class<?> javaType) {
            this.bytes = bytes;
            this.javaType = javaType;
        }

        /** Bytes per element in a file (0 for objects). */
        public int bytes() {
            return bytes;
        }

        /** The Java array type holding the elements. */
        public Class<?> javaType() {
            return javaType;
        }
    }

    public NdArray {
        long n = elementCount(shape);
        if (!dtype.javaType().isInstance(data)) {
            throw new IllegalArgumentException("dtype " + dtype + " needs " + dtype.javaType().getSimpleName()
                    + " but got " + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        int len = java.lang.reflect.Array.getLength(data);
        if (len != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but the data has " + len);
        }
    }

    /** Product of the dimensions (1 for a scalar). */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** Number of elements. */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** Element {@code i} (row-major) as a double; unsigned types are read as unsigned. */
    public double getDouble(int i) {
        return switch (dtype) {
            case BOOL, INT8 -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case INT16 -> ((short[]) data)[i];
            case UINT16 -> ((short[]) data)[i] & 0xFFFF;
            case INT32 -> ((int[]) data)[i];
            case UINT32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
            case INT64 -> ((long[]) data)[i];
            case UINT64 -> unsignedToDouble(((long[]) data)[i]);
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case OBJECT -> toNumber(((Object[]) data)[i], i);
        };
    }

    /** Element {@code i} of an object array. */
    public Object getObject(int i) {
        if (dtype != DType.OBJECT) {
            throw new IllegalStateException("not an object array: " + dtype);
        }
        return ((Object[]) data)[i];
    }

    /** All elements converted to float, row-major. */
    public float[] toFloatArray() {
        if (dtype == DType.FLOAT32) {
            return ((float[]) data).clone();
        }
        int n = size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /** All elements converted to double, row-major. */
    public double[] toDoubleArray() {
        int n = size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** Same data, new shape with the same element count. */
    public NdArray reshape(long... newShape) {
        return new NdArray(dtype, newShape, data);
    }

    @Override
    public String toString() {
        return "NdArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    private static double toNumber(Object o, int i) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new IllegalStateException("object element " + i + " is " + (o == null ? "None" : o.getClass().getSimpleName())
                + ", not a number");
    }
}
