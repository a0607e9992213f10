package dev.mona.core.io.formats;

import dev.mona.core.io.formats.NdArray.DType;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decoding of raw little/big-endian element bytes and column-major to row-major reordering, shared by the readers. */
final class ArrayDecoding {
    private static final int CHUNK = 1 << 20;

    private ArrayDecoding() {
    }

    /** A numpy type string such as {@code <f4}, {@code >i8}, {@code |u1}, {@code |b1}, {@code |O}. */
    record NumpyType(DType dtype, ByteOrder order, boolean half) {
    }

    /** Parses a numpy dtype string; returns null when it is not a simple numeric, bool or object type. */
    static NumpyType parseNumpyType(String descr) {
        if (descr == null || descr.isEmpty()) {
            return null;
        }
        char bo = descr.charAt(0);
        String rest = descr;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (bo == '<' || bo == '|' || bo == '=') {
            rest = descr.substring(1);
        } else if (bo == '>' || bo == '!') {
            order = ByteOrder.BIG_ENDIAN;
            rest = descr.substring(1);
        }
        if (rest.startsWith("O")) {
            return new NumpyType(DType.OBJECT, order, false);
        }
        DType t = switch (rest) {
            case "b1", "?" -> DType.BOOL;
            case "i1" -> DType.INT8;
            case "u1" -> DType.UINT8;
            case "i2" -> DType.INT16;
            case "u2" -> DType.UINT16;
            case "i4" -> DType.INT32;
            case "u4" -> DType.UINT32;
            case "i8" -> DType.INT64;
            case "u8" -> DType.UINT64;
            case "f2", "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            default -> null;
        };
        return t == null ? null : new NumpyType(t, order, rest.equals("f2"));
    }

    /**
     * Decodes numpy fixed-width strings ({@code U<n>}: UTF-32, {@code S<n>}: bytes) to Java strings, trailing NULs
     * removed; returns null when {@code descr} is not a string type.
     */
    static String[] decodeStrings(String descr, byte[] raw, int n) {
        if (descr == null || descr.isEmpty()) {
            return null;
        }
        char bo = descr.charAt(0);
        String rest = (bo == '<' || bo == '>' || bo == '|' || bo == '=') ? descr.substring(1) : descr;
        if (rest.length() < 2 || (rest.charAt(0) != 'U' && rest.charAt(0) != 'S') || !rest.substring(1).matches("\\d+")) {
            return null;
        }
        int width = Integer.parseInt(rest.substring(1));
        boolean unicode = rest.charAt(0) == 'U';
        int item = unicode ? 4 * width : width;
        if ((long) item * n != raw.length) {
            throw new IllegalStateException(n + " strings of type " + descr + " need " + ((long) item * n)
                    + " bytes but there are " + raw.length);
        }
        ByteOrder order = bo == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer bb = ByteBuffer.wrap(raw).order(order);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < width; c++) {
                int cp = unicode ? bb.getInt() : bb.get() & 0xFF;
                if (cp != 0) {
                    sb.appendCodePoint(cp);
                }
            }
            // numpy pads with NULs at the end only
            out[i] = sb.toString();
        }
        return out;
    }

    /** Bytes per element in the file. */
    static int fileItemSize(NumpyType t) {
        return t.half() ? 2 : t.dtype().bytes();
    }

    /**
     * Reads {@code n} elements from a stream into a fresh Java array.
     *
     * @param offset the stream's byte offset in its file, for error messages
     */
    static Object read(InputStream in, NumpyType t, int n, String file, long offset) throws IOException {
        int item = fileItemSize(t);
        long total = (long) n * item;
        Object out = allocate(t.dtype(), n);
        byte[] buf = new byte[(int) Math.min(CHUNK - CHUNK % 8, Math.max(total, 8))];
        long done = 0;
        int element = 0;
        while (done < total) {
            int want = (int) Math.min(buf.length, total - done);
            int got = readFully(in, buf, want);
            if (got < want) {
                throw new CorruptDataException(file, "offset " + (offset + done + got), (total) + " bytes of "
                        + t.dtype() + " data (" + n + " elements) from offset " + offset,
                        "end of file after " + (done + got) + " bytes");
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, want).order(t.order());
            int count = want / item;
            decode(bb, t, out, element, count);
            element += count;
            done += want;
        }
        return out;
    }

    static Object decode(ByteBuffer bb, NumpyType t, int n) {
        Object out = allocate(t.dtype(), n);
        decode(bb, t, out, 0, n);
        return out;
    }

    private static void decode(ByteBuffer bb, NumpyType t, Object out, int at, int count) {
        if (t.half()) {
            float[] f = (float[]) out;
            for (int i = 0; i < count; i++) {
                f[at + i] = halfToFloat(bb.getShort());
            }
            return;
        }
        switch (t.dtype()) {
            case BOOL, INT8, UINT8 -> bb.get((byte[]) out, at, count);
            case INT16, UINT16 -> bb.asShortBuffer().get((short[]) out, at, count);
            case INT32, UINT32 -> bb.asIntBuffer().get((int[]) out, at, count);
            case INT64, UINT64 -> bb.asLongBuffer().get((long[]) out, at, count);
            case FLOAT32 -> bb.asFloatBuffer().get((float[]) out, at, count);
            case FLOAT64 -> bb.asDoubleBuffer().get((double[]) out, at, count);
            case OBJECT -> throw new IllegalStateException("object arrays are pickled, not raw");
        }
    }

    static Object allocate(DType t, int n) {
        return switch (t) {
            case BOOL, INT8, UINT8 -> new byte[n];
            case INT16, UINT16 -> new short[n];
            case INT32, UINT32 -> new int[n];
            case INT64, UINT64 -> new long[n];
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case OBJECT -> new Object[n];
        };
    }

    /** Reads up to {@code want} bytes; returns how many were read (fewer only at end of stream). */
    static int readFully(InputStream in, byte[] buf, int want) throws IOException {
        int got = 0;
        while (got < want) {
            int r = in.read(buf, got, want - got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return got;
    }

    static byte[] readExactly(InputStream in, int n, String file, long offset, String what) throws IOException {
        byte[] b = new byte[n];
        int got = readFully(in, b, n);
        if (got < n) {
            throw new CorruptDataException(file, "offset " + (offset + got), n + " bytes of " + what,
                    "end of file after " + got + " bytes", new EOFException());
        }
        return b;
    }

    /** Checked element count of a shape that must fit one Java array. */
    static int checkedCount(long[] shape, String file) {
        long n = NdArray.elementCount(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException(file + ": array of " + n
                    + " elements is too large for one Java array; read it in slices");
        }
        return (int) n;
    }

    /**
     * Reorders column-major (Fortran, MATLAB) data of the given shape to row-major.
     */
    static Object columnToRowMajor(Object colMajor, DType t, long[] shape) {
        int n = java.lang.reflect.Array.getLength(colMajor);
        if (shape.length < 2 || n == 0) {
            return colMajor;
        }
        int d = shape.length;
        // Fortran strides: the first index varies fastest
        long[] fStride = new long[d];
        fStride[0] = 1;
        for (int k = 1; k < d; k++) {
            fStride[k] = fStride[k - 1] * shape[k - 1];
        }
        Object out = allocate(t, n);
        int[] idx = new int[d];
        long src = 0;
        for (int i = 0; i < n; i++) {
            copyOne(colMajor, (int) src, out, i, t);
            // advance the row-major counter (last index fastest) and the Fortran offset with it
            for (int k = d - 1; k >= 0; k--) {
                idx[k]++;
                src += fStride[k];
                if (idx[k] < shape[k]) {
                    break;
                }
                src -= fStride[k] * shape[k];
                idx[k] = 0;
            }
        }
        return out;
    }

    private static void copyOne(Object src, int s, Object dst, int d, DType t) {
        switch (t) {
            case BOOL, INT8, UINT8 -> ((byte[]) dst)[d] = ((byte[]) src)[s];
            case INT16, UINT16 -> ((short[]) dst)[d] = ((short[]) src)[s];
            case INT32, UINT32 -> ((int[]) dst)[d] = ((int[]) src)[s];
            case INT64, UINT64 -> ((long[]) dst)[d] = ((long[]) src)[s];
            case FLOAT32 -> ((float[]) dst)[d] = ((float[]) src)[s];
            case FLOAT64 -> ((double[]) dst)[d] = ((double[]) src)[s];
            case OBJECT -> ((Object[]) dst)[d] = ((Object[]) src)[s];
        }
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
