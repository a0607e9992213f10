package dev.mona.core.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.MonaModelException;
import dev.mona.core.model.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    private static ByteBuffer shorts(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bits) {
            b.putShort((short) v);
        }
        return b.flip();
    }

    @Test
    void halfAndBfloatBitPatternsDecodeExactly(@TempDir Path dir) {
        Path f = dir.resolve("half.safetensors");
        // F16: 1, -2, 65504 (max), 2^-24 (smallest subnormal), 1/3 rounded (0x3555), +inf, -0
        // BF16: 1, -3, 3.140625 (0x4049), 2^-133 (subnormal 0x0001 -> 2^-149 * 2^16 = 2^-133)
        new SafetensorsWriter()
                .add("h", SafetensorsDType.F16, new long[] {7}, shorts(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555,
                        0x7C00, 0x8000))
                .add("b", SafetensorsDType.BF16, new long[] {2, 2}, shorts(0x3F80, 0xC040, 0x4049, 0x0001))
                .write(f);
        try (SafetensorsFile st = SafetensorsFile.open(f); NDManager m = Engines.newManager(Device.cpu())) {
            float[] h = st.floats("h");
            assertArrayEquals(new float[] {1f, -2f, 65504f, (float) Math.pow(2, -24), 0.333251953125f,
                    Float.POSITIVE_INFINITY, -0.0f}, h);
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(h[6]));
            NDArray b = st.toNDArray("b", m);
            assertEquals(DataType.FLOAT32, b.getDataType());
            assertEquals(new Shape(2, 2), b.getShape());
            assertArrayEquals(new float[] {1f, -3f, 3.140625f, (float) Math.pow(2, -133)}, b.toFloatArray());
        }
    }

    @Test
    void roundTripKeepsTypesShapesMetadataAndPadsTheHeaderWithSpaces(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.safetensors");
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("a.weight", m.create(new float[] {1.5f, -2.25f, 3f, 4f, 5f, 6f}, new Shape(2, 3)));
            arrays.put("b", m.create(new double[] {Math.PI, -Math.E}));
            arrays.put("steps", m.create(new long[] {Long.MAX_VALUE, -7}));
            arrays.put("scalar", m.create(0.5f));
            SafetensorsWriter.write(f, arrays, Map.of("format", "pt", "step", "12"));
            byte[] raw = Files.readAllBytes(f);
            long n = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + n) % 8, "data section starts on an 8-byte boundary");
            String header = new String(raw, 8, (int) n, StandardCharsets.UTF_8);
            assertTrue(header.startsWith("{\"__metadata__\":{"), header);
            String trimmed = header.stripTrailing();
            assertTrue(trimmed.endsWith("}"));
            assertTrue(header.substring(trimmed.length()).chars().allMatch(c -> c == ' '), "padded with spaces");
            JsonNode json = new ObjectMapper().readTree(header);
            assertEquals("F32", json.get("a.weight").get("dtype").asText());
            assertEquals("[2,3]", json.get("a.weight").get("shape").toString());
            assertEquals("[0,24]", json.get("a.weight").get("data_offsets").toString());
            assertEquals("[]", json.get("scalar").get("shape").toString());
            assertEquals(raw.length, 8 + n + 24 + 16 + 16 + 4);
            // the first float sits right after the header, little-endian
            assertEquals(1.5f, ByteBuffer.wrap(raw, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());

            try (SafetensorsFile st = SafetensorsFile.open(f)) {
                assertEquals(Map.of("format", "pt", "step", "12"), st.metadata());
                assertEquals(List.of("a.weight", "b", "steps", "scalar"), List.copyOf(st.tensors().keySet()));
                for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                    NDArray back = st.toNDArray(e.getKey(), m);
                    assertEquals(e.getValue().getDataType(), back.getDataType(), e.getKey());
                    assertEquals(e.getValue().getShape(), back.getShape(), e.getKey());
                    assertTrue(e.getValue().contentEquals(back), e.getKey());
                }
            }
        }
    }

    private static Path writeRaw(Path f, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void truncatedAndMalformedFilesAreTypedErrorsNamingFileAndValue(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.safetensors");
        new SafetensorsWriter().add("w", new long[] {4}, new float[] {1, 2, 3, 4}).write(good);
        byte[] raw = Files.readAllBytes(good);

        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(raw, raw.length - 3));
        var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(cut));
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated")
                && e.getMessage().contains("'w'") && e.getMessage().contains("[0, 16]"), e.getMessage());
        assertEquals(cut, e.file());

        Path headerCut = dir.resolve("headercut.safetensors");
        Files.write(headerCut, Arrays.copyOf(raw, 20));
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(headerCut));
        assertTrue(e.getMessage().contains("header length") && e.getMessage().contains("beyond"), e.getMessage());

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(tiny));
        assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());

        Path fp8 = writeRaw(dir.resolve("fp8.safetensors"),
                "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(fp8));
        assertTrue(e.getMessage().contains("F8_E4M3") && e.getMessage().contains("'x'"), e.getMessage());

        Path badOffsets = writeRaw(dir.resolve("off.safetensors"),
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 12);
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(badOffsets));
        assertTrue(e.getMessage().contains("12 bytes") && e.getMessage().contains("need 8"), e.getMessage());

        Path outOfRange = writeRaw(dir.resolve("range.safetensors"),
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 8);
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(outOfRange));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());

        Path notJson = writeRaw(dir.resolve("json.safetensors"), "{\"x\":", 0);
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(notJson));
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());
    }

    @Test
    void readsTensorsBeyondTwoGigabytesOfASparseFile(@TempDir Path dir) throws Exception {
        long filler = 3L * 1024 * 1024 * 1024; // 3 GiB of U8 zeros: a hole in a sparse file, never written
        String header = "{\"filler\":{\"dtype\":\"U8\",\"shape\":[" + filler + "],\"data_offsets\":[0," + filler
                + "]},\"far\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + filler + "," + (filler + 8)
                + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            ByteBuffer lenAndHeader = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
            lenAndHeader.putLong(h.length).put(h);
            raf.write(lenAndHeader.array());
            raf.seek(8 + h.length + filler);
            ByteBuffer v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).putFloat(-1f);
            raf.write(v.array());
        }
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertTrue(st.dataStart() + st.info("far").begin() > Integer.MAX_VALUE);
            assertArrayEquals(new float[] {2.5f, -1f}, st.floats("far"));
            var e = assertThrows(SafetensorsFormatException.class, () -> st.bytes("filler"));
            assertTrue(e.getMessage().contains("2 GiB"), e.getMessage());
        }
    }

    @Test
    void loadingIntoAModelReportsUnknownAndMissingNames(@TempDir Path dir) {
        Path f = dir.resolve("ck.safetensors");
        new SafetensorsWriter()
                .add("encoder.w", new long[] {2}, new float[] {7, 8})
                .add("encoder.extra", new long[] {1}, new float[] {1})
                .add("head.b", new long[] {3}, new float[] {1, 2, 3})
                .write(f);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params model = Params.empty()
                    .with("encoder.w", m.zeros(new Shape(2)))
                    .with("encoder.missing", m.ones(new Shape(4)))
                    .with("head.b", m.zeros(new Shape(3)));
            var e = assertThrows(ParameterMismatchException.class, () -> ParamsIO.load(f, model, m, true));
            assertEquals(List.of("encoder.extra"), e.unknown());
            assertEquals(List.of("encoder.missing"), e.missing());
            assertTrue(e.getMessage().contains("encoder.extra") && e.getMessage().contains("encoder.missing")
                    && e.getMessage().contains("ck.safetensors"), e.getMessage());

            ParamsIO.LoadReport r = ParamsIO.load(f, model, m, false);
            assertEquals(List.of("encoder.extra"), r.unknown());
            assertEquals(List.of("encoder.missing"), r.missing());
            assertArrayEquals(new float[] {7, 8}, r.params().get("encoder.w").toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1, 1}, r.params().get("encoder.missing").toFloatArray());

            Params wrongShape = Params.empty().with("encoder.w", m.zeros(new Shape(3)));
            var s = assertThrows(MonaModelException.class, () -> ParamsIO.load(f, wrongShape, m, false));
            assertTrue(s.getMessage().contains("[2]") && s.getMessage().contains("(3)"), s.getMessage());
        }
    }
}
