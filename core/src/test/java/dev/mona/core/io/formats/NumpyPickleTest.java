package dev.mona.core.io.formats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumpyPickleTest {

    /** {'train': {'images': uint8 (2, 2, 3), 'labels': int64 (2,)}, 'w': float64 (2, 3) Fortran, 'n': 7, 'tag': 'x'} */
    private static byte[] sphericalLike(int protocol) {
        byte[] images = new byte[12];
        for (int i = 0; i < 12; i++) {
            images[i] = (byte) (250 - i);
        }
        byte[] labels = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(99).putLong(3).array();
        // w[i][j] = 10 i + j stored column-major: w00 w10 w01 w11 w02 w12
        ByteBuffer w = ByteBuffer.allocate(48).order(ByteOrder.BIG_ENDIAN);
        for (double v : new double[]{0, 10, 1, 11, 2, 12}) {
            w.putDouble(v);
        }
        return PickleBytes.pickle(protocol, p -> {
            p.op('}').memoize().op('(');
            p.str("train").op('}').memoize().op('(');
            p.str("images").ndarray("u1", "|", new long[]{2, 2, 3}, false, images);
            p.str("labels").ndarray("i8", "<", new long[]{2}, false, labels);
            p.op('u');
            p.str("w").ndarray("f8", ">", new long[]{2, 3}, true, w.array());
            p.str("n").integer(7);
            p.str("tag").str("x");
            p.op('u');
        });
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {2, 3, 4, 5})
    void numpyArraysInsideDictsForEveryProtocol(int protocol) throws IOException {
        Object o = NumpyPickle.load(new ByteArrayInputStream(sphericalLike(protocol)), "s2.pkl");
        Map<?, ?> top = assertInstanceOf(Map.class, o);
        Map<?, ?> train = assertInstanceOf(Map.class, top.get("train"));
        NdArray images = (NdArray) train.get("images");
        assertArrayEquals(new long[]{2, 2, 3}, images.shape());
        assertEquals(NdArray.DType.UINT8, images.dtype());
        assertEquals(250.0, images.getDouble(0));
        assertEquals(239.0, images.getDouble(11));
        NdArray labels = (NdArray) train.get("labels");
        assertEquals(99.0, labels.getDouble(0));
        NdArray w = (NdArray) top.get("w");
        assertArrayEquals(new double[]{0, 1, 2, 10, 11, 12}, w.toDoubleArray(), 0.0);
        assertEquals(7L, NumpyPickle.asLong(top.get("n")));
        assertEquals("x", top.get("tag"));
    }

    @Test
    void gzipPickleFileLikeSphericalCifar(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s2_cifar100.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(sphericalLike(4));
        }
        Map<?, ?> top = (Map<?, ?>) NumpyPickle.read(f);
        assertEquals(3.0, ((NdArray) ((Map<?, ?>) top.get("train")).get("labels")).getDouble(1));
    }

    @Test
    void truncatedPickleAndTruncatedGzipAreCorrupt(@TempDir Path dir) throws IOException {
        byte[] full = sphericalLike(3);
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> NumpyPickle.load(new ByteArrayInputStream(cut), "challenge2017.pkl"));
        assertEquals("challenge2017.pkl", e.file());
        Path gz = dir.resolve("s2_cifar100.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(full);
        }
        Files.write(gz, Arrays.copyOf(bytes.toByteArray(), bytes.size() - 20));
        CorruptDataException g = assertThrows(CorruptDataException.class, () -> NumpyPickle.read(gz));
        assertTrue(g.file().endsWith("s2_cifar100.gz"));
    }

    @Test
    void arrayWhoseBytesDoNotMatchItsShapeIsCorrupt() {
        byte[] bad = PickleBytes.pickle(3, p -> p.ndarray("f4", "<", new long[]{4}, false, new byte[8]));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> NumpyPickle.load(new ByteArrayInputStream(bad), "x.pkl"));
        assertTrue(e.getMessage().contains("needs 16 bytes"), e.getMessage());
    }

    @Test
    void picklesWrittenByPythonForProtocols2To5(@TempDir Path dir) throws IOException {
        String py = PythonOracle.require("numpy");
        PythonOracle.run(py, """
                import numpy as np, pickle, gzip
                d = {'data': [np.arange(5, dtype=np.float64) / 4, np.arange(3, dtype=np.int16)],
                     'label': ['N', 'A'], 'f': np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
                     's': np.float64(2.5)}
                for p in (2, 3, 4, 5):
                    with open('%s/p%%d.pkl' %% p, 'wb') as f:
                        pickle.dump(d, f, protocol=p)
                """.formatted(dir));
        for (int p = 2; p <= 5; p++) {
            Map<?, ?> top = (Map<?, ?>) NumpyPickle.read(dir.resolve("p" + p + ".pkl"));
            List<?> data = (List<?>) top.get("data");
            assertEquals(1.0, ((NdArray) data.get(0)).getDouble(4), 0.0, "protocol " + p);
            assertEquals(2.0, ((NdArray) data.get(1)).getDouble(2), 0.0);
            assertEquals(List.of("N", "A"), top.get("label"));
            assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, ((NdArray) top.get("f")).toFloatArray(), 0f);
            assertEquals(2.5, ((Number) top.get("s")).doubleValue(), 0.0);
        }
    }
}
