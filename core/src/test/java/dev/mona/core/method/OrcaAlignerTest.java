package dev.mona.core.method;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.OptimizerKind;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrcaAlignerTest {
    @Test
    void embedderEpochsReduceTheOtddAndLeaveTheEncoder() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            TransferModel model = TinyModels.model(3, 5, 8, 3);
            Params params = model.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            Map<String, float[]> before = new HashMap<>();
            params.asMap().forEach((k, v) -> before.put(k, v.toFloatArray()));
            OrcaConfig c = new OrcaConfig(8, 30, 0.1, 10, 1000, 7, OptimizerKind.ADAM, 0.05, 3);
            List<Double> losses = new OrcaAligner(model, c).align(params, TinyModels.split(24, 4, 3, 3, 1), true,
                    TinyModels.split(40, 4, 5, 3, 2));
            assertEquals(8, losses.size());
            assertTrue(losses.get(7) < losses.get(0), "OTDD should fall: " + losses);
            params.asMap().forEach((k, v) -> assertEquals(!k.startsWith(TransferModel.EMBEDDER),
                    Arrays.equals(before.get(k), v.toFloatArray()), k));
        }
    }

    @Test
    void regressionTargetsGetKMeansPseudoClasses() {
        float[] y = new float[40];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 40; i++) {
            y[i] = (float) (10 * (i % 4) + 0.1 * rng.nextGaussian());
        }
        OrcaConfig c = new OrcaConfig(1, 10, 0.1, 4, 100, 8, OptimizerKind.ADAM, 0.01, 0);
        int[] cls = new OrcaAligner(TinyModels.model(3, 5, 8, 3), c)
                .targetClasses(new HostTensor(y, new long[] {40, 1}), false);
        for (int i = 4; i < 40; i++) {
            assertEquals(cls[i % 4], cls[i], "sample " + i + " should share the cluster of " + (i % 4));
        }
        assertEquals(4, Arrays.stream(cls).distinct().count());
    }

    @Test
    void kMeansIsSeededAndRecoversSeparatedClusters() {
        SplittableRandom rng = new SplittableRandom(8);
        double[][] x = new double[60][2];
        for (int i = 0; i < 60; i++) {
            x[i][0] = 5 * (i % 3) + 0.2 * rng.nextGaussian();
            x[i][1] = -7 * (i % 3) + 0.2 * rng.nextGaussian();
        }
        int[] a = KMeans.cluster(x, 3, 42, 100);
        assertArrayEquals(a, KMeans.cluster(x, 3, 42, 100));
        for (int i = 3; i < 60; i++) {
            assertEquals(a[i % 3], a[i]);
        }
        assertEquals(3, Arrays.stream(a).distinct().count());
        assertEquals(2, Arrays.stream(KMeans.cluster(new double[][] {{0}, {1}}, 10, 1, 10)).distinct().count());
    }

    @Test
    void sourceBatchesNeedLabelsPerSample() {
        DataSplit bad = new DataSplit(new HostTensor(new float[4], new long[] {2, 2}),
                new HostTensor(new float[4], new long[] {2, 2}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SourceBatchSampler(bad, 1, 2, 0));
    }
}
