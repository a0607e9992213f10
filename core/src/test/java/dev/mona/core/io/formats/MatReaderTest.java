package dev.mona.core.io.formats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatReaderTest {
    private static final int N = 3;
    private static final int S = 11;

    /** Darcy-like field value at MATLAB index (n, i, j). */
    private static double coeff(int n, int i, int j) {
        return 1000 * n + 20 * i + j + 0.25;
    }

    private static Path writeV5(Path dir) throws IOException {
        Path f = dir.resolve("piececonst_r421_N1024_smooth1.mat");
        Matrix coeff = Mat5.newMatrix(new int[]{N, S, S});
        Matrix sol = Mat5.newMatrix(new int[]{N, S, S});
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < S; i++) {
                for (int j = 0; j < S; j++) {
                    coeff.setDouble(new int[]{n, i, j}, coeff(n, i, j));
                    sol.setDouble(new int[]{n, i, j}, -coeff(n, i, j));
                }
            }
        }
        us.hebi.matlab.mat.types.MatFile mat = Mat5.newMatFile().addArray("coeff", coeff).addArray("sol", sol);
        Mat5.writeToFile(mat, f.toFile());
        return f;
    }

    @Test
    void v5FieldsInMatlabIndexOrder(@TempDir Path dir) throws IOException {
        Path f = writeV5(dir);
        assertEquals(MatReader.Version.V5, MatReader.version(f));
        NdArray a = MatReader.read(f, "coeff");
        assertArrayEquals(new long[]{N, S, S}, a.shape());
        assertEquals(coeff(2, 7, 3), a.getDouble(2 * S * S + 7 * S + 3), 0.0);
        assertTrue(MatReader.fields(f).containsAll(java.util.List.of("coeff", "sol")));
    }

    @Test
    void v5StridedReadEqualsNumpyStyleSubsampling(@TempDir Path dir) throws IOException {
        Path f = writeV5(dir);
        // x[:, ::5, ::5] of an 11 x 11 grid keeps indices 0, 5, 10
        NdArray a = MatReader.read(f, "sol", 1, 5, 5);
        assertArrayEquals(new long[]{N, 3, 3}, a.shape());
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(-coeff(n, 5 * i, 5 * j), a.getDouble(n * 9 + i * 3 + j), 0.0);
                }
            }
        }
    }

    @Test
    void missingFieldAndTruncatedFileAreCorrupt(@TempDir Path dir) throws IOException {
        Path f = writeV5(dir);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> MatReader.read(f, "kcoeff"));
        assertTrue(e.found().contains("coeff"), e.getMessage());
        Path cut = dir.resolve("cut.mat");
        byte[] all = Files.readAllBytes(f);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 100));
        assertThrows(CorruptDataException.class, () -> MatReader.read(cut, "sol"));
        Path tiny = dir.resolve("tiny.mat");
        Files.write(tiny, new byte[]{1, 2, 3});
        assertThrows(CorruptDataException.class, () -> MatReader.version(tiny));
    }

    @Test
    void v73IsHdf5WithReversedDimensions(@TempDir Path dir) throws IOException {
        String py = PythonOracle.require("numpy", "h5py");
        // what MATLAB's save -v7.3 writes: a 512-byte user block starting with the MATLAB text header, then HDF5
        // holding each array transposed (column-major), chunked and deflated
        PythonOracle.run(py, """
                import numpy as np, h5py
                n, i, j = np.meshgrid(np.arange(%d), np.arange(%d), np.arange(%d), indexing='ij')
                coeff = 1000 * n + 20 * i + j + 0.25
                path = '%s/v73.mat'
                with h5py.File(path, 'w', userblock_size=512) as f:
                    f.create_dataset('coeff', data=coeff.T, chunks=True, compression='gzip')
                    f.create_dataset('sol', data=(-coeff).T.astype(np.float32))
                with open(path, 'r+b') as f:
                    f.write(b'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .'.ljust(116))
                """.formatted(N, S, S, dir));
        Path f = dir.resolve("v73.mat");
        assertEquals(MatReader.Version.V73, MatReader.version(f));
        NdArray a = MatReader.read(f, "coeff");
        assertArrayEquals(new long[]{N, S, S}, a.shape());
        assertEquals(coeff(1, 9, 4), a.getDouble(S * S + 9 * S + 4), 0.0);
        NdArray s = MatReader.read(f, "sol", 1, 5, 5);
        assertArrayEquals(new long[]{N, 3, 3}, s.shape());
        assertEquals(NdArray.DType.FLOAT32, s.dtype());
        assertEquals(-coeff(2, 10, 5), s.getDouble(2 * 9 + 2 * 3 + 1), 1e-3);
    }

    @Test
    void v73WithoutOrWithALargerUserBlockAsScipyAndH5pyRead(@TempDir Path dir) throws IOException {
        String py = PythonOracle.require("numpy", "h5py");
        // h5py writes no user block (the superblock at offset 0); libhdf5 also allows 1024, 2048, ...
        PythonOracle.run(py, """
                import numpy as np, h5py
                n, i, j = np.meshgrid(np.arange(%d), np.arange(%d), np.arange(%d), indexing='ij')
                coeff = 1000 * n + 20 * i + j + 0.25
                for name, block in (('plain', 0), ('block1024', 1024)):
                    with h5py.File('%s/' + name + '.mat', 'w', userblock_size=block) as f:
                        f.create_dataset('coeff', data=coeff.T)
                """.formatted(N, S, S, dir));
        for (String name : new String[]{"plain", "block1024"}) {
            Path f = dir.resolve(name + ".mat");
            assertEquals(MatReader.Version.V73, MatReader.version(f), name);
            assertEquals(List.of("coeff"), MatReader.fields(f));
            NdArray a = MatReader.read(f, "coeff");
            assertArrayEquals(new long[]{N, S, S}, a.shape());
            assertEquals(coeff(1, 9, 4), a.getDouble(S * S + 9 * S + 4), 0.0, name);
        }
    }

    @Test
    void v5WrittenByScipyWithCompression(@TempDir Path dir) throws IOException {
        String py = PythonOracle.require("numpy", "scipy");
        PythonOracle.run(py, """
                import numpy as np, scipy.io
                n, i, j = np.meshgrid(np.arange(%d), np.arange(%d), np.arange(%d), indexing='ij')
                coeff = 1000 * n + 20 * i + j + 0.25
                scipy.io.savemat('%s/s.mat', {'coeff': coeff, 'sol': (-coeff).astype(np.float32)}, do_compression=True)
                """.formatted(N, S, S, dir));
        Path f = dir.resolve("s.mat");
        assertEquals(MatReader.Version.V5, MatReader.version(f));
        NdArray a = MatReader.read(f, "coeff", 1, 5, 5);
        assertArrayEquals(new long[]{N, 3, 3}, a.shape());
        assertEquals(coeff(2, 10, 5), a.getDouble(2 * 9 + 2 * 3 + 1), 0.0);
        NdArray s = MatReader.read(f, "sol");
        assertEquals(NdArray.DType.FLOAT32, s.dtype());
        assertEquals(-coeff(1, 3, 7), s.getDouble(S * S + 3 * S + 7), 1e-3);
    }
}
