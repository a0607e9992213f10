package dev.mona.core.offline.pde;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PdeDatasetTest {
    @Test
    void samplesAreTheSameForAnyThreadCountAndDifferPerSeed() {
        for (OfflinePde pde : new OfflinePde[]{OfflinePde.ADVECTION, OfflinePde.BURGERS}) {
            DataSplit one = new PdeDataset(pde, 128, 1).generate(0, 6, 42);
            DataSplit two = new PdeDataset(pde, 128, 2).generate(0, 6, 42);
            assertArrayEquals(one.x().data(), two.x().data());
            assertArrayEquals(one.y().data(), two.y().data());
            // sample 3 of the stream is sample 0 of generate(3, ...)
            DataSplit tail = new PdeDataset(pde, 128, 1).generate(3, 1, 42);
            assertArrayEquals(java.util.Arrays.copyOfRange(one.x().data(), 3 * 128, 4 * 128), tail.x().data());
            DataSplit other = new PdeDataset(pde, 128, 1).generate(0, 6, 43);
            assertFalse(java.util.Arrays.equals(one.x().data(), other.x().data()));
        }
    }

    @Test
    void shapesFollowTheConvention() {
        TaskData d = new PdeDataset(OfflinePde.DIFFUSION_REACTION, 64, 2).taskData(4, 2, 3, 1);
        assertArrayEquals(new long[]{4, 1, 64}, d.train().x().shape());
        assertArrayEquals(new long[]{2, 1, 64}, d.validation().y().shape());
        assertEquals(3, d.test().size());
        DataSplit darcy = new PdeDataset(OfflinePde.DARCY, 64, 2).generate(0, 2, 5);
        assertArrayEquals(new long[]{2, 3, 85, 85}, darcy.x().shape());
        assertArrayEquals(new long[]{2, 1, 85, 85}, darcy.y().shape());
        // channels (a, x, y): x grows along a row, y down a column
        float[] x = darcy.x().data();
        int n2 = 85 * 85;
        assertEquals(1.0f, x[n2 + 84], 1e-6);
        assertEquals(1.0f, x[2 * n2 + 84 * 85], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new PdeDataset(OfflinePde.ADVECTION, 100, 1));
    }

    @Test
    void metricsMatchHandValues() {
        // two samples, one channel of two points
        HostTensor truth = new HostTensor(new float[]{3, 4, 1, 0}, new long[]{2, 1, 2});
        HostTensor pred = new HostTensor(new float[]{3, 4, 2, 0}, new long[]{2, 1, 2});
        // relative L2: sample 0 exact, sample 1 ||(1,0)|| / ||(1,0)|| = 1 -> mean 0.5
        assertEquals(0.5, PdeMetrics.relativeL2(pred, truth), 1e-12);
        // nRMSE: sample 1 sqrt(1/2) / sqrt(1/2) = 1 -> mean 0.5
        assertEquals(0.5, PdeMetrics.nrmse(pred, truth), 1e-12);
        HostTensor twice = new HostTensor(new float[]{6, 8, 2, 0}, new long[]{2, 1, 2});
        assertEquals(1.0, PdeMetrics.nrmse(twice, truth), 1e-12);
        // two channels: channel norms differ, nRMSE averages per channel
        HostTensor t2 = new HostTensor(new float[]{1, 1, 10, 10}, new long[]{1, 2, 2});
        HostTensor p2 = new HostTensor(new float[]{2, 2, 10, 10}, new long[]{1, 2, 2});
        assertEquals(0.5, PdeMetrics.nrmse(p2, t2), 1e-12);
        assertEquals(Math.sqrt(2) / Math.sqrt(202), PdeMetrics.relativeL2(p2, t2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PdeMetrics.nrmse(p2, truth));
    }
}
