package dev.mona.activities;

import dev.mona.core.data.HostTensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float tensors plus string metadata in one object ({@code .tns}): data sets, model states, checkpoints.
 * Layout: magic {@code MONATNS1}, metadata count and UTF pairs, tensor count, then per tensor name, rank, dims and
 * little-endian float32 values.
 */
public record TensorFile(Map<String, String> meta, Map<String, HostTensor> tensors) {
    private static final String MAGIC = "MONATNS1";

    public byte[] encode() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(meta.size());
            for (Map.Entry<String, String> e : meta.entrySet()) {
                out.writeUTF(e.getKey());
                writeLong(out, e.getValue());
            }
            out.writeInt(tensors.size());
            for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] data = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(data);
                out.write(buf.array());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Metadata values may exceed writeUTF's 64 KB limit (summaries), so they are length-prefixed bytes. */
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static TensorFile decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IllegalArgumentException("not a mona tensor file (magic '" + magic + "')");
            }
            Map<String, String> meta = new LinkedHashMap<>();
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                String k = in.readUTF();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                meta.put(k, new String(b, java.nio.charset.StandardCharsets.UTF_8));
            }
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                long count = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    count *= shape[d];
                }
                byte[] raw = new byte[Math.toIntExact(count * 4)];
                in.readFully(raw);
                float[] data = new float[(int) count];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                tensors.put(name, new HostTensor(data, shape));
            }
            return new TensorFile(meta, tensors);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated mona tensor file: " + e.getMessage(), e);
        }
    }
}
