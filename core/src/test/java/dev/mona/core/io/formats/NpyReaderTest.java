package dev.mona.core.io.formats;

import dev.mona.core.io.formats.NdArray.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyReaderTest {
    private static final long[] SHAPE = {2, 3, 4};

    /** Element [i][j][k] of the test arrays: distinct, exact in every dtype used. */
    private static double value(int i, int j, int k, String code) {
        double v = 12 * i + 4 * j + k;
        return switch (code) {
            case "b1" -> (i + j + k) % 2;
            case "f4", "f8" -> v - 7.25;
            case "i1", "i2", "i4", "i8" -> v - 11;
            default -> v + 200 * (code.equals("u1") ? 0 : 1);
        };
    }

    private static double[] values(String code) {
        double[] out = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    out[12 * i + 4 * j + k] = value(i, j, k, code);
                }
            }
        }
        return out;
    }

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (int version : new int[]{1, 2, 3}) {
            for (String descr : new String[]{"<f4", ">f8", "|u1", "<i8", "|b1", ">i2", "<u2", ">i4", "<u4", "|i1"}) {
                for (boolean fortran : new boolean[]{false, true}) {
                    out.add(Arguments.of(version, descr, fortran));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "v{0} {1} fortran={2}")
    @MethodSource("variants")
    void readsEveryHeaderVersionOrderAndType(int version, String descr, boolean fortran) throws IOException {
        String code = descr.substring(1);
        byte[] file = NpyWriter.npy(values(code), SHAPE, descr, fortran, version);
        NdArray a = NpyReader.read(new ByteArrayInputStream(file), "t.npy");
        assertArrayEquals(SHAPE, a.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(value(i, j, k, code), a.getDouble(12 * i + 4 * j + k), 0.0,
                            "element [" + i + "][" + j + "][" + k + "]");
                }
            }
        }
        DType expected = switch (code) {
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "u1" -> DType.UINT8;
            case "i8" -> DType.INT64;
            case "b1" -> DType.BOOL;
            case "i2" -> DType.INT16;
            case "u2" -> DType.UINT16;
            case "i4" -> DType.INT32;
            case "u4" -> DType.UINT32;
            default -> DType.INT8;
        };
        assertEquals(expected, a.dtype());
    }

    @Test
    void unsignedValuesAboveTheSignedRangeStayPositive() throws IOException {
        byte[] file = NpyWriter.npy(new double[]{255, 65535}, new long[]{2}, "<u2", false, 1);
        NdArray a = NpyReader.read(new ByteArrayInputStream(file), "u.npy");
        assertEquals(65535.0, a.getDouble(1));
        byte[] bytes = NpyWriter.npy(new double[]{250, 3}, new long[]{2}, "|u1", false, 1);
        assertEquals(250.0, NpyReader.read(new ByteArrayInputStream(bytes), "b.npy").getDouble(0));
    }

    @Test
    void truncatedDataNamesFileOffsetAndExpectedSize() throws IOException {
        byte[] file = NpyWriter.npy(values("f8"), SHAPE, "<f8", false, 1);
        byte[] cut = Arrays.copyOf(file, file.length - 10);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> NpyReader.read(new ByteArrayInputStream(cut), "darcy.npy"));
        assertEquals("darcy.npy", e.file());
        assertTrue(e.expected().contains("192 bytes"), e.getMessage());
        assertTrue(e.where().startsWith("offset "), e.where());
        assertTrue(!e.retryable());
    }

    @Test
    void badMagicAndUnknownVersionAreCorrupt() throws IOException {
        byte[] notNpy = "PK\u0003\u0004 this is a zip".getBytes();
        CorruptDataException magic = assertThrows(CorruptDataException.class,
                () -> NpyReader.read(new ByteArrayInputStream(notNpy), "x.npy"));
        assertEquals("offset 0", magic.where());
        byte[] file = NpyWriter.npy(values("f4"), SHAPE, "<f4", false, 1);
        file[6] = 9;
        CorruptDataException version = assertThrows(CorruptDataException.class,
                () -> NpyReader.read(new ByteArrayInputStream(file), "x.npy"));
        assertTrue(version.expected().contains("version 1, 2 or 3"));
    }

    @Test
    void objectArrayHoldingADictLikeSatellite() throws IOException {
        // np.save of a 0-d object array {'data': uint8 (3, 4), 'label': int64 (3,)}, pickled with protocol 3
        byte[] raw = new byte[12];
        for (int i = 0; i < 12; i++) {
            raw[i] = (byte) (i * 20);
        }
        byte[] labels = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(24).putLong(7).array();
        byte[] pickle = PickleBytes.pickle(3, p -> {
            p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").tuple(0)
                    .bytes(new byte[]{'b'}).op(0x87).op('R');
            p.op('(').integer(1).tuple().dtype("O8", "|").bool(false);
            p.op(']').op('(');
            p.op('}').op('(').str("data").ndarray("u1", "|", new long[]{3, 4}, false, raw)
                    .str("label").ndarray("i8", "<", new long[]{3}, false, labels).op('u');
            p.op('e');
            p.op('t').op('b');
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.writeHeader(out, "{'descr': '|O', 'fortran_order': False, 'shape': (), }", 1);
        out.write(pickle);
        NdArray a = NpyReader.read(new ByteArrayInputStream(out.toByteArray()), "satellite_train.npy");
        assertEquals(DType.OBJECT, a.dtype());
        assertEquals(0, a.shape().length);
        Map<?, ?> dict = assertInstanceOf(Map.class, a.getObject(0));
        NdArray data = (NdArray) dict.get("data");
        assertArrayEquals(new long[]{3, 4}, data.shape());
        assertEquals(220.0, data.getDouble(11));
        NdArray label = (NdArray) dict.get("label");
        assertEquals(24.0, label.getDouble(1));
    }

    @Test
    void npzStoredAndDeflated(@TempDir Path dir) throws IOException {
        byte[] x = NpyWriter.npy(values("f4"), SHAPE, "<f4", false, 1);
        byte[] y = NpyWriter.npy(values("u1"), SHAPE, "|u1", true, 2);
        for (int method : new int[]{ZipEntry.STORED, ZipEntry.DEFLATED}) {
            Path f = dir.resolve("d" + method + ".npz");
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
                z.setMethod(method);
                for (Map.Entry<String, byte[]> e : Map.of("x_train.npy", x, "y_train.npy", y).entrySet()) {
                    ZipEntry ze = new ZipEntry(e.getKey());
                    if (method == ZipEntry.STORED) {
                        CRC32 crc = new CRC32();
                        crc.update(e.getValue());
                        ze.setSize(e.getValue().length);
                        ze.setCompressedSize(e.getValue().length);
                        ze.setCrc(crc.getValue());
                    }
                    z.putNextEntry(ze);
                    z.write(e.getValue());
                    z.closeEntry();
                }
            }
            Map<String, NdArray> all = NpzReader.readAll(f);
            assertEquals(java.util.Set.of("x_train", "y_train"), all.keySet());
            assertEquals(value(1, 2, 3, "f4"), all.get("x_train").getDouble(23), 0.0);
            assertEquals(value(1, 0, 2, "u1"), all.get("y_train").getDouble(14), 0.0);
            try (NpzReader r = NpzReader.open(f)) {
                CorruptDataException e = assertThrows(CorruptDataException.class, () -> r.get("x_val"));
                assertTrue(e.found().contains("x_train"), e.getMessage());
            }
        }
    }

    @Test
    void npzThatIsNotAZipIsCorrupt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("deepsea_filtered.npz");
        Files.write(f, new byte[]{1, 2, 3, 4, 5});
        assertThrows(CorruptDataException.class, () -> NpzReader.open(f));
    }

    @Test
    void numpyWrittenFilesReadTheSame(@TempDir Path dir) throws IOException {
        String py = PythonOracle.require("numpy");
        PythonOracle.run(py, """
                import numpy as np, sys
                from numpy.lib import format as F
                d = sys.argv[1] if len(sys.argv) > 1 else '%s'
                a = (np.arange(24).reshape(2, 3, 4) - 7.25)
                for v in [(1, 0), (2, 0), (3, 0)]:
                    with open(d + '/v%%d.npy' %% v[0], 'wb') as f:
                        F.write_array(f, np.asfortranarray(a.astype('>f4')), version=v)
                np.save(d + '/obj.npy', {'data': np.arange(6, dtype=np.uint8).reshape(2, 3), 'label': np.array([3, 4])}, allow_pickle=True)
                np.savez_compressed(d + '/c.npz', x=a, y=np.array([True, False]))
                """.formatted(dir));
        for (int v = 1; v <= 3; v++) {
            NdArray a = NpyReader.read(dir.resolve("v" + v + ".npy"));
            assertArrayEquals(SHAPE, a.shape());
            assertEquals(DType.FLOAT32, a.dtype());
            assertEquals(value(1, 2, 1, "f4"), a.getDouble(12 + 8 + 1), 0.0);
        }
        NdArray obj = NpyReader.read(dir.resolve("obj.npy"));
        Map<?, ?> dict = (Map<?, ?>) obj.getObject(0);
        assertEquals(5.0, ((NdArray) dict.get("data")).getDouble(5));
        assertEquals(4.0, ((NdArray) dict.get("label")).getDouble(1));
        Map<String, NdArray> npz = NpzReader.readAll(dir.resolve("c.npz"));
        assertEquals(value(0, 1, 1, "f8"), npz.get("x").getDouble(5), 0.0);
        assertEquals(DType.BOOL, npz.get("y").dtype());
    }
}
