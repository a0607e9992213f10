package dev.mona.core.io.formats;

import dev.mona.core.io.formats.ArrayDecoding.NumpyType;
import dev.mona.core.io.formats.NdArray.DType;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads Python pickles (protocols 0 to 5, plain or gzip-compressed) with {@code net.razorvine:pickle}, turning
 * pickled numpy arrays into {@link NdArray}s. Registered numpy globals (both the {@code numpy.core} names of numpy 1
 * and the {@code numpy._core} names of numpy 2):
 * <ul>
 *   <li>{@code multiarray._reconstruct} + BUILD state {@code (version, shape, dtype, is_fortran, raw)}: protocols 0-4;
 *   <li>{@code numeric._frombuffer(buffer, dtype, shape, order)}: protocol 5 (in-band buffers);
 *   <li>{@code numpy.dtype} + BUILD state {@code (3, byteorder, ...)};
 *   <li>{@code multiarray.scalar(dtype, bytes)}: numpy scalars become Java numbers.
 * </ul>
 * Containers come back as razorvine maps them: dict as {@link Map}, list as {@link List}, tuple as {@code Object[]},
 * str as {@link String}, bytes as {@code byte[]}. Used for NAS-Bench-360's Spherical {@code s2_cifar100.gz}, ECG
 * {@code challenge2017.pkl} and the object arrays inside {@code .npy} files.
 */
public final class NumpyPickle {
    static {
        for (String core : List.of("numpy.core", "numpy._core")) {
            Unpickler.registerConstructor(core + ".multiarray", "_reconstruct", args -> new PickledArray());
            Unpickler.registerConstructor(core + ".multiarray", "scalar", NumpyPickle::scalar);
            Unpickler.registerConstructor(core + ".numeric", "_frombuffer", NumpyPickle::fromBuffer);
        }
        IObjectConstructor dtype = args -> new PickledDType(String.valueOf(args[0]));
        Unpickler.registerConstructor("numpy", "dtype", dtype);
    }

    private NumpyPickle() {
    }

    /** Reads a pickle file; a {@code .gz} name or the gzip magic selects gzip decompression. */
    public static Object read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            try (InputStream in = gz ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw) {
                return load(in, file.toString());
            } catch (java.util.zip.ZipException e) {
                throw new CorruptDataException(file.toString(), "gzip stream", "valid gzip data", e.getMessage(), e);
            }
        }
    }

    /**
     * Reads one pickle from a stream.
     *
     * @param name file name for error messages
     */
    public static Object load(InputStream in, String name) throws IOException {
        try {
            Unpickler u = new Unpickler();
            Object o = u.load(in);
            return convert(o);
        } catch (PickleException | EOFException e) {
            throw new CorruptDataException(name, "pickle stream", "a complete pickle of numbers, strings, containers"
                    + " and numpy arrays", rootMessage(e), e);
        } catch (java.util.zip.ZipException e) {
            throw new CorruptDataException(name, "gzip stream", "valid gzip data", e.getMessage(), e);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Unexpected end of ZLIB input stream")) {
                throw new CorruptDataException(name, "gzip stream", "complete gzip data", "a truncated stream", e);
            }
            if (m.contains("expected more bytes") || m.contains("premature end")) {
                throw new CorruptDataException(name, "pickle stream", "a complete pickle", "a truncated stream (" + m
                        + ")", e);
            }
            throw e;
        } catch (RuntimeException e) {
            if (e instanceof CorruptDataException) {
                throw e;
            }
            throw new CorruptDataException(name, "pickle stream", "a well-formed pickle", rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }

    /** Replaces every pickled ndarray in a structure by its {@link NdArray}. */
    static Object convert(Object o) {
        if (o instanceof PickledArray p) {
            return convert(p.toNdArray());
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(convert(e.getKey()), convert(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(convert(x));
            }
            return out;
        }
        if (o instanceof Object[] a) {
            Object[] out = new Object[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = convert(a[i]);
            }
            return out;
        }
        if (o instanceof NdArray a && a.dtype() == DType.OBJECT) {
            Object[] d = (Object[]) a.data();
            Object[] out = new Object[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = convert(d[i]);
            }
            return new NdArray(DType.OBJECT, a.shape(), out);
        }
        return o;
    }

    private static Object scalar(Object[] args) {
        PickledDType dt = (PickledDType) args[0];
        if (args.length < 2) {
            return null;
        }
        NumpyType t = dt.type();
        if (t.dtype() == DType.OBJECT) {
            return args[1];
        }
        Object arr = ArrayDecoding.decode(ByteBuffer.wrap(bytes(args[1])).order(t.order()), t, 1);
        return boxed(t.dtype(), arr);
    }

    private static Object boxed(DType t, Object arr) {
        return switch (t) {
            case BOOL -> ((byte[]) arr)[0] != 0;
            case INT8 -> (long) ((byte[]) arr)[0];
            case UINT8 -> (long) (((byte[]) arr)[0] & 0xFF);
            case INT16 -> (long) ((short[]) arr)[0];
            case UINT16 -> (long) (((short[]) arr)[0] & 0xFFFF);
            case INT32 -> (long) ((int[]) arr)[0];
            case UINT32 -> ((int[]) arr)[0] & 0xFFFFFFFFL;
            case INT64, UINT64 -> ((long[]) arr)[0];
            case FLOAT32 -> (double) ((float[]) arr)[0];
            case FLOAT64 -> ((double[]) arr)[0];
            case OBJECT -> ((Object[]) arr)[0];
        };
    }

    private static Object fromBuffer(Object[] args) {
        byte[] buf = bytes(args[0]);
        PickledDType dt = (PickledDType) args[1];
        long[] shape = shape(args[2]);
        boolean fortran = args.length > 3 && "F".equals(String.valueOf(args[3]));
        return PickledArray.build(dt, shape, fortran, buf);
    }

    static byte[] bytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) {
            // Python 2 pickles carry raw bytes as latin-1 str
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new IllegalStateException("expected bytes but got " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    static long[] shape(Object o) {
        if (o instanceof Object[] a) {
            long[] s = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                s[i] = ((Number) a[i]).longValue();
            }
            return s;
        }
        if (o instanceof Number n) {
            return new long[]{n.longValue()};
        }
        throw new IllegalStateException("expected a shape tuple but got " + o);
    }

    /**
     * A numpy dtype being unpickled: {@code numpy.dtype('f8', False, True)} then BUILD with the byte order.
     * Public only because the unpickler calls {@code __setstate__} reflectively.
     */
    public static final class PickledDType {
        private final String code;
        private String byteOrder = "<";

        PickledDType(String code) {
            this.code = code;
        }

        /** BUILD: state[1] is the byte order character. */
        public void __setstate__(Object[] state) {
            if (state.length > 1 && state[1] instanceof String s) {
                byteOrder = s;
            }
        }

        /** The dtype string with its byte order, e.g. {@code <f8}, {@code <U1}. */
        String descr() {
            return byteOrder + code;
        }

        NumpyType type() {
            String c = code.startsWith("O") ? "|O" : byteOrder + code;
            NumpyType t = ArrayDecoding.parseNumpyType(c);
            if (t == null) {
                throw new IllegalStateException("unsupported numpy dtype '" + code + "' (bool, integer, float or object"
                        + " expected)");
            }
            return t;
        }
    }

    /**
     * A numpy array being unpickled: {@code _reconstruct(ndarray, (0,), b'b')} then BUILD with
     * {@code (version, shape, dtype, is_fortran, raw bytes or list of objects)}.
     * Public only because the unpickler calls {@code __setstate__} reflectively.
     */
    public static final class PickledArray {
        private NdArray array;

        /** BUILD state of {@code ndarray.__reduce__}. */
        public void __setstate__(Object[] state) {
            int o = state.length == 5 ? 1 : 0;
            long[] shape = shape(state[o]);
            PickledDType dt = (PickledDType) state[o + 1];
            boolean fortran = Boolean.TRUE.equals(state[o + 2]);
            Object raw = state[o + 3];
            array = build(dt, shape, fortran, raw);
        }

        static NdArray build(PickledDType dt, long[] shape, boolean fortran, Object raw) {
            int n = ArrayDecoding.checkedCount(shape, "pickled array");
            if (!(raw instanceof Collection<?>) && !(raw instanceof Object[])) {
                String[] strings = ArrayDecoding.decodeStrings(dt.descr(), bytes(raw), n);
                if (strings != null) {
                    Object[] data = fortran ? (Object[]) ArrayDecoding.columnToRowMajor(strings, DType.OBJECT, shape)
                            : strings;
                    return new NdArray(DType.OBJECT, shape, data);
                }
            }
            NumpyType t = dt.type();
            if (t.dtype() == DType.OBJECT) {
                Object[] items;
                if (raw instanceof Collection<?> c) {
                    items = c.toArray();
                } else if (raw instanceof Object[] a) {
                    items = a;
                } else {
                    throw new IllegalStateException("object array state is not a list: " + raw);
                }
                if (items.length != n) {
                    throw new IllegalStateException("object array of shape " + java.util.Arrays.toString(shape)
                            + " has " + items.length + " items");
                }
                Object[] data = fortran ? (Object[]) ArrayDecoding.columnToRowMajor(items, DType.OBJECT, shape) : items;
                return new NdArray(DType.OBJECT, shape, data);
            }
            byte[] b = bytes(raw);
            long need = (long) n * ArrayDecoding.fileItemSize(t);
            if (b.length != need) {
                throw new IllegalStateException("array of shape " + java.util.Arrays.toString(shape) + " and dtype "
                        + t.dtype() + " needs " + need + " bytes but the pickle holds " + b.length);
            }
            Object data = ArrayDecoding.decode(ByteBuffer.wrap(b).order(t.order()), t, n);
            if (fortran) {
                data = ArrayDecoding.columnToRowMajor(data, t.dtype(), shape);
            }
            return new NdArray(t.dtype(), shape, data);
        }

        NdArray toNdArray() {
            if (array == null) {
                throw new IllegalStateException("numpy array without state");
            }
            return array;
        }
    }

    /** Python ints arrive as Integer, Long or BigInteger; this gives a long. */
    public static long asLong(Object o) {
        if (o instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof NdArray a && a.size() == 1) {
            return (long) a.getDouble(0);
        }
        throw new IllegalArgumentException("not an integer: " + o);
    }
}
