package dev.mona.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped reader of the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * header ({@code name -> {dtype, shape, data_offsets}} plus an optional {@code __metadata__} string map), then the
 * data. Each tensor is mapped on demand at a {@code long} file offset, so files over 2 GB read without loading
 * the whole file on the heap. Every structural problem is a {@link SafetensorsFormatException} naming the file.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Largest header accepted (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One tensor's entry in the header.
     *
     * @param name  tensor name
     * @param dtype element type as stored
     * @param shape dimensions
     * @param begin first byte, relative to the start of the data section
     * @param end   one past the last byte, relative to the start of the data section
     */
    public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
        /** Number of elements. */
        public long elements() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        public Shape djlShape() {
            return new Shape(shape);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates {@code file}: header length, JSON, dtypes, shapes and offsets. */
    public static SafetensorsFile open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open safetensors file " + file + ": " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(file, "truncated: the file has " + size
                        + " bytes but needs at least 8 for the header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file, "header length " + headerLen
                        + " is outside the valid range 2.." + MAX_HEADER_BYTES + "; this is not a safetensors file");
            }
            if (headerLen > size - 8) {
                throw new SafetensorsFormatException(file, "truncated: header length " + headerLen
                        + " reaches beyond the end of the file (" + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            String header = new String(hb.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, TensorInfo> infos = parseHeader(file, header, dataSize, meta);
            return new SafetensorsFile(file, ch, dataStart, Collections.unmodifiableMap(infos),
                    Collections.unmodifiableMap(meta));
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path file, String header, long dataSize,
                                                       Map<String, String> meta) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, "the header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file, "the header is not a JSON object");
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode dt = v.get("dtype");
            JsonNode sh = v.get("shape");
            JsonNode off = v.get("data_offsets");
            if (dt == null || sh == null || off == null || !sh.isArray() || !off.isArray() || off.size() != 2) {
                throw new SafetensorsFormatException(file, "tensor '" + name
                        + "' lacks dtype, shape or a two-element data_offsets: " + v);
            }
            SafetensorsDType dtype = SafetensorsDType.parse(dt.asText(), file, name);
            long[] shape = new long[sh.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = sh.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new SafetensorsFormatException(file, "tensor '" + name + "' has a negative dimension "
                            + sh);
                }
            }
            long begin = off.get(0).asLong(-1);
            long end = off.get(1).asLong(-1);
            TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
            checkOffsets(file, info, dataSize);
            out.put(name, info);
        }
        return out;
    }

    /** Validates a tensor's byte range against its dtype and shape and against the data section's size. */
    static void checkOffsets(Path file, TensorInfo t, long dataSize) {
        if (t.begin() < 0 || t.end() < t.begin()) {
            throw new SafetensorsFormatException(file, "tensor '" + t.name() + "' has invalid data_offsets ["
                    + t.begin() + ", " + t.end() + "]");
        }
        long expected = Math.multiplyExact(t.elements(), (long) t.dtype().bytes());
        if (t.end() - t.begin() != expected) {
            throw new SafetensorsFormatException(file, "tensor '" + t.name() + "' spans " + (t.end() - t.begin())
                    + " bytes but dtype " + t.dtype() + " and shape " + java.util.Arrays.toString(t.shape())
                    + " need " + expected);
        }
        if (t.end() > dataSize) {
            throw new SafetensorsFormatException(file, "truncated: tensor '" + t.name() + "' has data_offsets ["
                    + t.begin() + ", " + t.end() + "] but the data section holds only " + dataSize
                    + " bytes (offsets out of range)");
        }
    }

    /** The file this reader maps. */
    public Path file() {
        return file;
    }

    /** Tensor entries in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} string map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Absolute file offset of the first data byte. */
    public long dataStart() {
        return dataStart;
    }

    /** The entry named {@code name}; a typed error listing a few known names otherwise. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsFormatException(file, "has no tensor named '" + name + "' (it holds "
                    + tensors.size() + " tensors)");
        }
        return t;
    }

    /** The raw little-endian bytes of tensor {@code name}, memory-mapped read-only. */
    public ByteBuffer bytes(String name) {
        TensorInfo t = info(name);
        long len = t.end() - t.begin();
        if (len > Integer.MAX_VALUE) {
            throw new SafetensorsFormatException(file, "tensor '" + name + "' has " + len
                    + " bytes; a single tensor must be under 2 GiB to be loaded");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), len)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map tensor '" + name + "' of " + file, e);
        }
    }

    /** Tensor {@code name} as float32 values (F32 as is; F16, BF16, F64 converted). */
    public float[] floats(String name) {
        TensorInfo t = info(name);
        ByteBuffer b = bytes(name);
        int n = Math.toIntExact(t.elements());
        float[] out = new float[n];
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bf16ToFloat(b.getShort(2 * i));
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> throw new SafetensorsFormatException(file, "tensor '" + name + "' has dtype " + t.dtype()
                    + ", not a floating-point type");
        }
        return out;
    }

    /**
     * Tensor {@code name} as an engine array in {@code manager}: F32, F16 and BF16 become FLOAT32; F64, I64, I32,
     * U8 and BOOL keep their type. The array owns a copy of the data (never the read-only mapping).
     */
    public NDArray toNDArray(String name, NDManager manager) {
        TensorInfo t = info(name);
        Shape shape = t.djlShape();
        return switch (t.dtype()) {
            case F32, F16, BF16 -> manager.create(floats(name), shape);
            case F64 -> manager.create(copyDirect(bytes(name), manager), shape, DataType.FLOAT64);
            case I64 -> manager.create(copyDirect(bytes(name), manager), shape, DataType.INT64);
            case I32 -> manager.create(copyDirect(bytes(name), manager), shape, DataType.INT32);
            case U8 -> manager.create(copyDirect(bytes(name), manager), shape, DataType.UINT8);
            case BOOL -> manager.create(copyDirect(bytes(name), manager), shape, DataType.BOOLEAN);
        };
    }

    private static ByteBuffer copyDirect(ByteBuffer src, NDManager manager) {
        ByteBuffer dst = manager.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("big-endian hosts are not supported");
        }
        dst.put(src.duplicate());
        dst.rewind();
        return dst;
    }

    /** IEEE 754 half precision (binary16) bits to float32, exactly (subnormals, infinities and NaN included). */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // subnormal: mant * 2^-24, exact in float32
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** bfloat16 bits to float32 (the upper half of a float32), exactly. */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
