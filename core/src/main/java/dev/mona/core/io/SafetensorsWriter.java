package dev.mona.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes safetensors files that the reference {@code safetensors} library reads: the JSON header is padded with
 * spaces so that the data section starts at a multiple of 8 bytes, tensors are stored little-endian and back to
 * back in the order they were added, and {@code __metadata__} is a string-to-string map. Files are written
 * atomically (temp file, fsync, rename). Tensor data are fetched one tensor at a time, so writing does not hold
 * a second copy of a large model in memory.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(String name, SafetensorsDType dtype, long[] shape, Supplier<ByteBuffer> data) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a {@code __metadata__} entry. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds all entries of {@code map} to {@code __metadata__}. */
    public SafetensorsWriter metadata(Map<String, String> map) {
        metadata.putAll(map);
        return this;
    }

    /** Adds an engine array; its bytes are read when the file is written. */
    public SafetensorsWriter add(String name, NDArray array) {
        SafetensorsDType dtype = of(array.getDataType(), name);
        return add(name, dtype, array.getShape().getShape(), array::toByteBuffer);
    }

    /** Adds raw little-endian data of the given dtype and shape. */
    public SafetensorsWriter add(String name, SafetensorsDType dtype, long[] shape, ByteBuffer data) {
        return add(name, dtype, shape, () -> data.duplicate());
    }

    /** Adds float32 values. */
    public SafetensorsWriter add(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return add(name, SafetensorsDType.F32, shape, b);
    }

    private SafetensorsWriter add(String name, SafetensorsDType dtype, long[] shape, Supplier<ByteBuffer> data) {
        if (name.equals("__metadata__") || entries.stream().anyMatch(e -> e.name.equals(name))) {
            throw new IllegalArgumentException("tensor name '" + name + "' is reserved or used twice");
        }
        entries.add(new Entry(name, dtype, shape.clone(), data));
        return this;
    }

    /** The safetensors type of a DJL data type. */
    public static SafetensorsDType of(DataType type, String name) {
        return switch (type) {
            case FLOAT32 -> SafetensorsDType.F32;
            case FLOAT64 -> SafetensorsDType.F64;
            case FLOAT16 -> SafetensorsDType.F16;
            case BFLOAT16 -> SafetensorsDType.BF16;
            case INT64 -> SafetensorsDType.I64;
            case INT32 -> SafetensorsDType.I32;
            case UINT8 -> SafetensorsDType.U8;
            case BOOLEAN -> SafetensorsDType.BOOL;
            default -> throw new IllegalArgumentException("tensor '" + name + "' has data type " + type
                    + ", which safetensors writing does not support here");
        };
    }

    /** The header bytes, padded with spaces to a multiple of 8. */
    byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            long n = e.dtype.bytes();
            for (long s : e.shape) {
                n *= s;
            }
            ObjectNode t = root.putObject(e.name);
            t.put("dtype", e.dtype.name());
            ArrayNode shape = t.putArray("shape");
            for (long s : e.shape) {
                shape.add(s);
            }
            ArrayNode off = t.putArray("data_offsets");
            off.add(offset);
            off.add(offset + n);
            offset += n;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /** Writes the file atomically. */
    public void write(Path file) {
        byte[] header = header();
        AtomicFiles.write(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                len.flip();
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                for (Entry e : entries) {
                    ByteBuffer data = e.data.get();
                    long n = e.dtype.bytes();
                    for (long s : e.shape) {
                        n *= s;
                    }
                    if (data.remaining() != n) {
                        throw new IOException("tensor '" + e.name + "' supplied " + data.remaining()
                                + " bytes, expected " + n);
                    }
                    writeFully(ch, data);
                }
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Convenience: writes the named arrays with metadata to {@code file}. */
    public static void write(Path file, Map<String, NDArray> arrays, Map<String, String> metadata) {
        SafetensorsWriter w = new SafetensorsWriter().metadata(metadata);
        arrays.forEach(w::add);
        w.write(file);
    }
}
