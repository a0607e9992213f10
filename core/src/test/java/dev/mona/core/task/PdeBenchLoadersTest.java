package dev.mona.core.task;

import dev.mona.core.data.TaskData;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ORCA's PDEBench preprocessing on small HDF5 files laid out as PDEBench's. */
class PdeBenchLoadersTest {

    private static float u(int n, int t, int x) {
        return 1000f * n + 10f * t + x * 0.5f;
    }

    @Test
    void advectionStridesSpaceAndTimeAndSplitsTheFirstTenthAsTest(@TempDir Path dir) throws IOException {
        int n = 30;
        int steps = 201;
        int points = 64;
        float[][][] tensor = new float[n][steps][points];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                for (int x = 0; x < points; x++) {
                    tensor[i][t][x] = u(i, t, x);
                }
            }
        }
        try (WritableHdfFile w = HdfFile.write(dir.resolve("1D_Advection_Sols_beta0.4.hdf5"))) {
            w.putDataset("tensor", tensor);
        }
        TaskData d = TaskCatalog.load("pdebench-advection", dir, LoadOptions.defaults()).data();
        assertEquals(3, d.test().size());
        assertEquals(27, d.train().size() + d.validation().size());
        assertEquals(3, d.validation().size());
        assertArrayEquals(new long[]{3, 1, 16}, d.test().x().shape());
        // test sample 2: x = u(2, 0, 4j), y = u(2, 200, 4j) (41 steps after stride 5, t_train 200 capped -> index 200)
        for (int j = 0; j < 16; j++) {
            assertEquals(u(2, 0, 4 * j), d.test().x().data()[2 * 16 + j]);
            assertEquals(u(2, 200, 4 * j), d.test().y().data()[2 * 16 + j]);
        }
    }

    @Test
    void navierStokes1dConcatenatesVariablesAndNormalises(@TempDir Path dir) throws IOException {
        int n = 20;
        int steps = 101;
        int points = 8;
        try (WritableHdfFile w = HdfFile.write(dir.resolve("1D_CFD_Rand_Eta0.1_Zeta0.1_periodic_Train.hdf5"))) {
            String[] names = {"density", "pressure", "Vx"};
            for (int v = 0; v < 3; v++) {
                float[][][] f = new float[n][steps][points];
                for (int i = 0; i < n; i++) {
                    for (int t = 0; t < steps; t++) {
                        for (int x = 0; x < points; x++) {
                            f[i][t][x] = (v + 1) * u(i, t, x) + (float) Math.sin(i * x + v);
                        }
                    }
                }
                w.putDataset(names[v], f);
            }
        }
        LoadedTask t = TaskCatalog.load("pdebench-navier-stokes-1d", dir, LoadOptions.defaults());
        TaskData d = t.data();
        assertArrayEquals(new long[]{2, 1, 24}, d.test().x().shape());
        float[] x = t.targetNormalizer().decode(d.test().x()).data();
        float[] y = t.targetNormalizer().decode(d.test().y()).data();
        // sample 1, pressure (variable 1), point 3; target at t = 100 (21 steps after stride 5)
        assertEquals(2 * u(1, 0, 3) + (float) Math.sin(3 + 1), x[24 + 8 + 3], 1e-2);
        assertEquals(2 * u(1, 100, 3) + (float) Math.sin(3 + 1), y[24 + 8 + 3], 1e-2);
    }

    @Test
    void pdebenchDarcyMapsNuToTheSolutionAtHalfResolution(@TempDir Path dir) throws IOException {
        int n = 10;
        int s = 16;
        float[][][] nu = new float[n][s][s];
        float[][][][] sol = new float[n][1][s][s];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    nu[i][a][b] = i + a * 0.1f + b * 0.01f;
                    sol[i][0][a][b] = -nu[i][a][b];
                }
            }
        }
        try (WritableHdfFile w = HdfFile.write(dir.resolve("2D_DarcyFlow_beta0.1_Train.hdf5"))) {
            w.putDataset("nu", nu);
            w.putDataset("tensor", sol);
        }
        TaskData d = TaskCatalog.load("pdebench-darcy", dir, LoadOptions.defaults()).data();
        assertEquals(1, d.test().size());
        assertArrayEquals(new long[]{1, 1, 8, 8}, d.test().x().shape());
        assertEquals(0 + 6 * 0.1f + 10 * 0.01f, d.test().x().data()[3 * 8 + 5], 1e-6);
        assertEquals(-(0 + 6 * 0.1f + 10 * 0.01f), d.test().y().data()[3 * 8 + 5], 1e-6);
    }

    @Test
    void multiSampleFilesTakeTheLastTenthOfKeysAsTest(@TempDir Path dir) throws IOException {
        int n = 10;
        int steps = 5;
        int s = 4;
        try (WritableHdfFile w = HdfFile.write(dir.resolve("2D_diff-react_NA_NA.h5"))) {
            for (int i = 0; i < n; i++) {
                WritableGroup g = w.putGroup(String.format("%04d", i));
                float[][][][] data = new float[steps][s][s][2];
                for (int t = 0; t < steps; t++) {
                    for (int a = 0; a < s; a++) {
                        for (int b = 0; b < s; b++) {
                            data[t][a][b][0] = 100 * i + 10 * t + a + 0.1f * b;
                            data[t][a][b][1] = -(100 * i + 10 * t + a + 0.1f * b);
                        }
                    }
                }
                g.putDataset("data", data);
            }
        }
        TaskData d = TaskCatalog.load("pdebench-diffusion-reaction-2d", dir, LoadOptions.defaults()).data();
        assertEquals(1, d.test().size());
        assertArrayEquals(new long[]{1, 1, 4, 4}, d.test().x().shape());
        // test = key 0009; input u at t=0, target v at the last stored step (t_train 101 capped to 5 -> t=4)
        assertEquals(900 + 2 + 0.3f, d.test().x().data()[2 * 4 + 3], 1e-4);
        assertEquals(-(900 + 40 + 2 + 0.3f), d.test().y().data()[2 * 4 + 3], 1e-4);

        try (WritableHdfFile w = HdfFile.write(dir.resolve("1D_diff-sorp_NA_NA.h5"))) {
            for (int i = 0; i < n; i++) {
                float[][][] data = new float[steps][6][1];
                for (int t = 0; t < steps; t++) {
                    for (int x = 0; x < 6; x++) {
                        data[t][x][0] = i + 0.1f * t + 0.01f * x;
                    }
                }
                w.putGroup(String.format("%04d", i)).putDataset("data", data);
            }
        }
        TaskData ds = TaskCatalog.load("pdebench-diffusion-sorption", dir, LoadOptions.defaults()).data();
        assertArrayEquals(new long[]{1, 1, 6}, ds.test().x().shape());
        assertEquals(9 + 0.4f + 0.05f, ds.test().y().data()[5], 1e-5);
        assertEquals(8, ds.train().size());
    }
}
