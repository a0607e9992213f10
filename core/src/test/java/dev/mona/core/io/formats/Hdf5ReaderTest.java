package dev.mona.core.io.formats;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Hdf5ReaderTest {

    @Test
    void contiguousDatasetsWrittenByJhdf(@TempDir Path dir) {
        Path f = dir.resolve("1D_Advection_Sols_beta0.4.hdf5");
        float[][][] tensor = new float[3][2][5];
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 2; t++) {
                for (int x = 0; x < 5; x++) {
                    tensor[s][t][x] = 100 * s + 10 * t + x + 0.5f;
                }
            }
        }
        try (WritableHdfFile w = HdfFile.write(f)) {
            w.putDataset("tensor", tensor);
            w.putDataset("x-coordinate", new double[]{0.1, 0.3, 0.5, 0.7, 0.9});
            WritableGroup g = w.putGroup("0000");
            g.putDataset("data", new int[][]{{1, 2}, {3, 4}});
        }
        try (Hdf5Reader r = Hdf5Reader.open(f)) {
            NdArray a = r.read("tensor");
            assertArrayEquals(new long[]{3, 2, 5}, a.shape());
            assertEquals(NdArray.DType.FLOAT32, a.dtype());
            assertEquals(213.5, a.getDouble(2 * 10 + 1 * 5 + 3), 0.0);
            assertEquals(0.7, r.read("x-coordinate").getDouble(3), 0.0);
            assertEquals(4.0, r.read("0000/data").getDouble(3), 0.0);
            NdArray slab = r.readSlab("tensor", new long[]{1, 1, 0}, new int[]{2, 1, 5});
            assertArrayEquals(new long[]{2, 1, 5}, slab.shape());
            assertEquals(110.5, slab.getDouble(0), 0.0);
            assertEquals(214.5, slab.getDouble(9), 0.0);
            assertTrue(r.datasets().containsAll(List.of("tensor", "x-coordinate", "0000/data")), r.datasets().toString());
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> r.read("nu"));
            assertTrue(e.found().contains("tensor"), e.getMessage());
        }
    }

    @Test
    void notHdf5AndTruncatedFilesAreCorrupt(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.hdf5");
        Files.write(junk, "this is not an HDF5 file at all, not even close".getBytes());
        assertThrows(CorruptDataException.class, () -> Hdf5Reader.open(junk));

        Path f = dir.resolve("t.hdf5");
        try (WritableHdfFile w = HdfFile.write(f)) {
            w.putDataset("tensor", new double[4096]);
        }
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.hdf5");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertThrows(CorruptDataException.class, () -> {
            try (Hdf5Reader r = Hdf5Reader.open(cut)) {
                r.read("tensor");
            }
        });
    }

    @Test
    void chunkedGzipCompressedDatasetsWrittenByH5py(@TempDir Path dir) throws IOException {
        // jhdf 0.9 writes only contiguous datasets, so h5py writes the chunked + compressed ones
        String py = PythonOracle.require("numpy", "h5py");
        PythonOracle.run(py, """
                import numpy as np, h5py
                s, t, x = np.meshgrid(np.arange(6), np.arange(4), np.arange(50), indexing='ij')
                with h5py.File('%s/c.hdf5', 'w') as f:
                    f.create_dataset('tensor', data=(1000 * s + 100 * t + x).astype(np.float32), chunks=(2, 2, 16),
                                     compression='gzip', compression_opts=6, shuffle=True)
                    f.create_dataset('labels', data=np.arange(6, dtype=np.int64) * 3, chunks=(4,), compression='gzip')
                    g = f.create_group('0001')
                    g.create_dataset('data', data=np.full((3, 5, 2), 2.5), chunks=(1, 5, 2), compression='gzip')
                """.formatted(dir));
        Path f = dir.resolve("c.hdf5");
        try (Hdf5Reader r = Hdf5Reader.open(f)) {
            NdArray a = r.read("tensor");
            assertArrayEquals(new long[]{6, 4, 50}, a.shape());
            for (int s = 0; s < 6; s++) {
                for (int t = 0; t < 4; t++) {
                    for (int x = 0; x < 50; x += 7) {
                        assertEquals(1000 * s + 100 * t + x, a.getDouble(s * 200 + t * 50 + x), 0.0);
                    }
                }
            }
            assertFalse(r.read("labels").dtype() == NdArray.DType.OBJECT);
            assertEquals(15.0, r.read("labels").getDouble(5), 0.0);
            assertEquals(2.5, r.read("0001/data").getDouble(29), 0.0);
            NdArray slab = r.readSlab("tensor", new long[]{5, 3, 0}, new int[]{1, 1, 50});
            assertEquals(5349.0, slab.getDouble(49), 0.0);
            // a slab crossing chunk boundaries in every dimension
            NdArray cross = r.readSlab("tensor", new long[]{1, 1, 10}, new int[]{4, 3, 30});
            for (int s = 0; s < 4; s++) {
                for (int t = 0; t < 3; t++) {
                    for (int x = 0; x < 30; x++) {
                        assertEquals(1000 * (s + 1) + 100 * (t + 1) + x + 10, cross.getDouble(s * 90 + t * 30 + x), 0.0);
                    }
                }
            }
        }
    }
}
