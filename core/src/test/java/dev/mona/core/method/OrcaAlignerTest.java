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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrcaAlignerTest {
    /** Adam (0.9, 0.999), no weight decay, ORCA's StepLR; draws of 1000 per class take every sample here. */
    static OrcaConfig config(int epochs, int source, int k, int maxSamples, int chunk, double lr, long seed) {
        return new OrcaConfig(epochs, source, 0.1, k, maxSamples, 4, chunk, OptimizerKind.ADAM, lr, 0, 0.9, 0.9,
                0.999, OrcaConfig.MILESTONES, OrcaConfig.GAMMA, seed);
    }
    @Test
    void embedderEpochsReduceTheOtddAndLeaveTheEncoder() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            TransferModel model = TinyModels.model(3, 5, 8, 3);
            Params params = model.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            Map<String, float[]> before = new HashMap<>();
            params.asMap().forEach((k, v) -> before.put(k, v.toFloatArray()));
            OrcaConfig c = config(8, 30, 10, 1000, 7, 0.05, 3);
            List<Double> losses = new OrcaAligner(model, c).align(params, TinyModels.split(24, 4, 3, 3, 1), true,
                    TinyModels.split(40, 4, 5, 3, 2));
            assertEquals(8, losses.size());
            assertTrue(losses.get(7) < losses.get(0), "OTDD should fall: " + losses);
            params.asMap().forEach((k, v) -> assertEquals(!k.startsWith(TransferModel.EMBEDDER),
                    Arrays.equals(before.get(k), v.toFloatArray()), k));
        }
    }

    @Test
    void everyEpochDrawsEachClassAfreshInWholeMiniBatches() {
        // ORCA reads a shuffled class loader until more than maxsamples are in hand: bs 4, 128 -> 132;
        // bs 32 -> 160; DeepSEA's bs 16, 64 -> 80; a smaller class gives all it has
        assertEquals(132, new OrcaConfig(1, 1, 0.1, 1, 128, 4, 1, OptimizerKind.ADAM, 1, 0, 0, 0.9, 0.98,
                OrcaConfig.MILESTONES, 0.2, 0).drawn(1000));
        assertEquals(160, new OrcaConfig(1, 1, 0.1, 1, 128, 32, 1, OptimizerKind.ADAM, 1, 0, 0, 0.9, 0.98,
                OrcaConfig.MILESTONES, 0.2, 0).drawn(1000));
        assertEquals(80, new OrcaConfig(1, 1, 0.1, 1, 64, 16, 1, OptimizerKind.ADAM, 1, 0, 0, 0.9, 0.98,
                OrcaConfig.MILESTONES, 0.2, 0).drawn(1000));
        assertEquals(100, new OrcaConfig(1, 1, 0.1, 1, 128, 4, 1, OptimizerKind.ADAM, 1, 0, 0, 0.9, 0.98,
                OrcaConfig.MILESTONES, 0.2, 0).drawn(100));
        OrcaConfig c = new OrcaConfig(3, 10, 0.1, 4, 5, 4, 8, OptimizerKind.ADAM, 0.01, 0, 0, 0.9, 0.98,
                OrcaConfig.MILESTONES, 0.2, 7);
        OrcaAligner a = new OrcaAligner(TinyModels.model(3, 5, 8, 3), c);
        int[] members = java.util.stream.IntStream.range(100, 130).toArray();
        int[] first = a.draw(members, 2, 0);
        assertEquals(8, first.length, "two mini-batches of 4: more than 5");
        assertArrayEquals(first, a.draw(members, 2, 0), "a function of seed, class and epoch (resumable)");
        assertFalse(Arrays.equals(first, a.draw(members, 2, 1)), "a fresh draw every embedder epoch");
        assertTrue(Arrays.stream(first).allMatch(r -> r >= 100 && r < 130));
        assertEquals(8, Arrays.stream(first).distinct().count(), "without replacement");
    }

    @Test
    void classWeightsAreTheFullClassFrequencies() {
        assertEquals(Map.of(0, 0.6, 1, 0.3, 2, 0.1), OrcaAligner.classWeights(new int[] {0, 1, 0, 0, 1, 2, 0, 0, 1,
                0}).entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> Math.round(e.getValue() * 1e12) / 1e12)));
    }

    @Test
    void theEmbedderRateFollowsTheStepSchedule() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            TransferModel model = TinyModels.model(3, 5, 8, 3);
            Params params = model.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            OrcaConfig c = new OrcaConfig(4, 20, 0.1, 10, 1000, 4, 7, OptimizerKind.SGD, 0.05, 0, 0.99, 0.9, 0.98,
                    List.of(1, 2), 0.5, 3);
            List<Double> lrs = new java.util.ArrayList<>();
            new OrcaAligner(model, c).align(params, TinyModels.split(24, 4, 3, 3, 1), true,
                    TinyModels.split(40, 4, 5, 3, 2), Stage1Options.none().withListener(
                            new dev.mona.core.train.TrainingListener() {
                                @Override
                                public void onStep(Progress p) {
                                    lrs.add(p.lr());
                                }
                            }));
            // epochs 0, 1: the base rate; epoch 2 (> 1): x 0.5; epoch 3 (> 2): x 0.25
            assertEquals(List.of(0.05, 0.05, 0.025, 0.0125), lrs);
        }
    }

    @Test
    void regressionTargetsGetKMeansPseudoClasses() {
        float[] y = new float[40];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 40; i++) {
            y[i] = (float) (10 * (i % 4) + 0.1 * rng.nextGaussian());
        }
        OrcaConfig c = config(1, 10, 4, 100, 8, 0.01, 0);
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
