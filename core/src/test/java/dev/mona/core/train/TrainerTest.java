package dev.mona.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.engine.Engines;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.Losses;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.model.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static final TinyMlp MLP = new TinyMlp(3, 8, 2);

    /** y = A x + noise-free nonlinearity, 3 -> 2. */
    static DataSplit regression(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 3];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) (r.nextDouble() * 2 - 1);
            }
            y[i * 2] = (float) (1 + x[i * 3] - 0.5 * x[i * 3 + 1]);
            y[i * 2 + 1] = (float) (2 + Math.sin(x[i * 3 + 2]));
        }
        return new DataSplit(new HostTensor(x, new long[] {n, 3}), new HostTensor(y, new long[] {n, 2}));
    }

    static TaskData task() {
        DataSplit test = regression(8, 3);
        java.util.Arrays.fill(test.x().data(), Float.NaN); // the trainer must never look at the test split
        return new TaskData(regression(40, 1), regression(12, 2), test);
    }

    static Map<String, float[]> values(Params p) {
        Map<String, float[]> out = new LinkedHashMap<>();
        p.asMap().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    static final class StopAt implements TrainingListener {
        final long step;

        StopAt(long step) {
            this.step = step;
        }

        @Override
        public void onStep(Progress p) {
            if (p.step() == step) {
                throw new IllegalStateException("simulated crash at step " + step);
            }
        }
    }

    /** Crash at step 7 resumes from step 6 (mid-epoch 1); at step 3 from step 2 (mid-epoch 0, no best yet). */
    @ParameterizedTest
    @CsvSource({"7, step-0000000006", "3, step-0000000002"})
    void resumeFromMidEpochCheckpointIsBitIdentical(int crashAt, String resumeFrom, @TempDir Path dir) {
        TrainConfig cfg = new TrainConfig(3, 4, 2, OptimizerKind.ADAMW, 1e-2, 1e-2, 0, 1, 1.0);
        TaskData data = task();
        Map<String, float[]> uninterrupted;
        TrainResult full;
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(7));
            full = new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(11).withRestoreBest(false)).fit(m, p, data);
            uninterrupted = values(p);
        }
        assertEquals(15, full.steps());
        Path ck = dir.resolve("ck");
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(7));
            Trainer crashing = new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(11).withRestoreBest(false).withCheckpoints(ck, 2)
                            .withListener(new StopAt(crashAt)));
            assertThrows(IllegalStateException.class, () -> crashing.fit(m, p, data));
        }
        // 5 steps per epoch: the checkpoint the resumed run starts from is mid-epoch
        assertEquals(resumeFrom, new CheckpointStore(ck).latestDirectory().orElseThrow().getFileName()
                .toString());
        try (NDManager m = Engines.newManager(Device.cpu())) {
            // different initial values: the checkpoint must overwrite them all
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(99));
            TrainResult resumed = new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(11).withRestoreBest(false).withCheckpoints(ck, 2)).fit(m, p, data);
            Map<String, float[]> after = values(p);
            for (String name : uninterrupted.keySet()) {
                assertArrayEquals(bits(uninterrupted.get(name)), bits(after.get(name)), name);
            }
            assertEquals(full.steps(), resumed.steps());
            assertEquals(full.bestEpoch(), resumed.bestEpoch());
            assertEquals(full.bestValMetric(), resumed.bestValMetric());
            assertEquals(full.history().get(2).trainLoss(), resumed.history().get(2).trainLoss());
        }
    }

    static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToRawIntBits(a[i]);
        }
        return out;
    }

    @Test
    void accumulationEqualsOneLargeBatchOnALinearModel() {
        // one update over 4 accumulated mini-batches of 2 = one update over their batch of 8, at the same rate (the
        // Trainer's rates differ between the two: ORCA's schedule counts mini-batches)
        TinyMlp linear = new TinyMlp(3, 0, 2);
        DataSplit data = regression(16, 5);
        Map<String, float[]> a;
        Map<String, float[]> b;
        Map<String, float[]> init;
        double[] lrs = {0.1, 0.05};
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = linear.initialise(m, DataType.FLOAT32, new SplittableRandom(3));
            init = values(p);
            TrainStep step = new TrainStep(linear, Losses.of(LossKind.MSE), new Sgd(m, 0.9, 0), n -> true, 0);
            for (int s = 0; s < 2; s++) {
                List<DataSplit> micro = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    int[] rows = {8 * s + 2 * k, 8 * s + 2 * k + 1};
                    micro.add(new DataSplit(data.x().rows(rows), data.y().rows(rows)));
                }
                step.run(m, p, micro, lrs[s]);
            }
            a = values(p);
        }
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = linear.initialise(m, DataType.FLOAT32, new SplittableRandom(3));
            TrainStep step = new TrainStep(linear, Losses.of(LossKind.MSE), new Sgd(m, 0.9, 0), n -> true, 0);
            for (int s = 0; s < 2; s++) {
                int[] rows = java.util.stream.IntStream.range(8 * s, 8 * s + 8).toArray();
                step.run(m, p, List.of(new DataSplit(data.x().rows(rows), data.y().rows(rows))), lrs[s]);
            }
            b = values(p);
        }
        for (String n : a.keySet()) {
            assertFalse(java.util.Arrays.equals(init.get(n), a.get(n)), "parameters moved");
            for (int i = 0; i < a.get(n).length; i++) {
                assertEquals(b.get(n)[i], a.get(n)[i], 2e-6, n + "[" + i + "]");
            }
        }
    }

    @Test
    void frozenParametersStayBitIdentical() {
        TrainConfig cfg = new TrainConfig(2, 4, 1, OptimizerKind.ADAM, 1e-2, 1e-3, 0, 0, 0);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            Map<String, float[]> before = values(p);
            new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(2).withFreeze("fc1.*")).fit(m, p, task());
            Map<String, float[]> after = values(p);
            assertArrayEquals(bits(before.get("fc1.weight")), bits(after.get("fc1.weight")));
            assertArrayEquals(bits(before.get("fc1.bias")), bits(after.get("fc1.bias")));
            assertFalse(java.util.Arrays.equals(before.get("fc2.weight"), after.get("fc2.weight")));
        }
    }

    @Test
    void theRateOfAnAccumulatedStepIsThatOfItsLastMiniBatch() {
        // 40 samples in mini-batches of 4: 10 an epoch, 3 steps of 4 + 4 + 2 accumulated; warm-up 1 epoch (10
        // mini-batches), decay to 0 at 4 epochs (40 mini-batches): ORCA's LambdaLR stepped per mini-batch
        TrainConfig cfg = new TrainConfig(2, 4, 4, OptimizerKind.SGD, 1.0, 0, 0, 1, 0, 4, 0.9, 0.98);
        List<Double> lrs = new ArrayList<>();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(3).withListener(new TrainingListener() {
                        @Override
                        public void onStep(Progress progress) {
                            lrs.add(progress.lr());
                        }
                    })).fit(m, p, task());
        }
        // last mini-batches 3, 7, 9 (warm-up s / 10), then 13, 17, 19 (decay (40 - s) / 30)
        List<Double> want = List.of(0.3, 0.7, 0.9, 27 / 30.0, 23 / 30.0, 21 / 30.0);
        assertEquals(want.size(), lrs.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), lrs.get(i), 1e-12, "step " + i);
        }
    }

    @Test
    void learnsSelectsOnValidationAndWritesListenersAndSummary(@TempDir Path dir) throws Exception {
        TrainConfig cfg = new TrainConfig(6, 4, 1, OptimizerKind.ADAM, 3e-2, 0, 0, 1, 0);
        List<EpochSummary> rows = new ArrayList<>();
        List<TrainingListener.Progress> steps = new ArrayList<>();
        Path csv = dir.resolve("summary.csv");
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            TrainResult r = new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(3).withListener(new TrainingListener() {
                        @Override
                        public void onStep(Progress progress) {
                            steps.add(progress);
                        }

                        @Override
                        public void onEpochEnd(EpochSummary summary) {
                            rows.add(summary);
                        }
                    }).withListener(new SummaryCsvListener(csv))).fit(m, p, task());
            assertEquals(6, rows.size());
            assertEquals(60, steps.size());
            assertEquals(0.0, steps.get(0).lr(), "ORCA's warm-up starts at lr 0");
            assertEquals(3e-2, steps.get(10).lr(), 1e-12, "peak after one warm-up epoch");
            assertTrue(rows.get(5).trainLoss() < rows.get(0).trainLoss() / 2, "loss fell: " + rows);
            double bestSeen = rows.stream().mapToDouble(EpochSummary::valMetric).min().orElseThrow();
            assertEquals(bestSeen, r.bestValMetric());
            // best parameters are restored: evaluating them gives the best validation metric
            Trainer t = new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(3));
            assertEquals(r.bestValMetric(), t.evaluate(m, p, task().validation()), 1e-12);
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(EpochSummary.CSV_HEADER, lines.get(0));
        assertEquals(7, lines.size());
    }

    @Test
    void resumeWithAnotherConfigurationIsATypedError(@TempDir Path dir) {
        TrainConfig cfg = new TrainConfig(1, 4, 1, OptimizerKind.SGD, 1e-2, 0, 0.9, 0, 0);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(3).withCheckpoints(dir, 0)).fit(m, p, task());
            TrainConfig other = new TrainConfig(2, 4, 1, OptimizerKind.SGD, 1e-2, 0, 0.9, 0, 0);
            var e = assertThrows(dev.mona.core.model.MonaModelException.class, () ->
                    new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, other,
                            TrainerOptions.seeded(3).withCheckpoints(dir, 0)).fit(m, p, task()));
            assertTrue(e.getMessage().contains("configuration"), e.getMessage());
        }
    }

    @Test
    void stepsLeaveNoArraysBehind() {
        TrainConfig cfg = new TrainConfig(2, 4, 2, OptimizerKind.ADAMW, 1e-2, 1e-2, 0, 1, 1.0);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(3).withRestoreBest(false)).fit(m, p, task());
            int afterTwo = m.getManagedArrays().size();
            cfg = new TrainConfig(6, 4, 2, OptimizerKind.ADAMW, 1e-2, 1e-2, 0, 1, 1.0);
            Params q = MLP.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            new Trainer(MLP, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(3).withRestoreBest(false)).fit(m, q, task());
            // the second run adds only its own 4 parameters and 8 moments, however many steps it takes
            assertEquals(afterTwo + 4 + 8, m.getManagedArrays().size());
            assertNotEquals(0, afterTwo);
        }
    }

    /** TinyMlp plus a parameter the forward pass never uses (like a text encoder's word embeddings). */
    record WithUnused(TinyMlp mlp) implements dev.mona.core.model.Module {
        @Override
        public Map<String, ai.djl.ndarray.types.Shape> parameterShapes() {
            Map<String, ai.djl.ndarray.types.Shape> m = new LinkedHashMap<>(mlp.parameterShapes());
            m.put("unused", new ai.djl.ndarray.types.Shape(3));
            return m;
        }

        @Override
        public Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
            return mlp.initialise(manager, dtype, rng).with("unused", manager.ones(new ai.djl.ndarray.types.Shape(3)));
        }

        @Override
        public NDArray forward(Params params, NDArray x) {
            return mlp.forward(params, x);
        }
    }

    @Test
    void parametersWithoutGradientAreNotDecayed() {
        TrainConfig cfg = new TrainConfig(2, 4, 1, OptimizerKind.ADAMW, 1e-1, 0.5, 0, 0, 0);
        WithUnused model = new WithUnused(MLP);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = model.initialise(m, DataType.FLOAT32, new SplittableRandom(1));
            new Trainer(model, Losses.of(LossKind.MSE), MetricKind.RELATIVE_L2, cfg,
                    TrainerOptions.seeded(2).withRestoreBest(false)).fit(m, p, task());
            assertArrayEquals(new float[] {1, 1, 1}, p.get("unused").toFloatArray(), 0f);
        }
    }

    @Test
    void copyIntoWritesInPlace() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray dst = m.create(new float[] {1, 2, 3});
            NDArray view = dst.stopGradient();
            Autograd.copyInto(dst, m.create(new float[] {4, 5, 6}));
            assertArrayEquals(new float[] {4, 5, 6}, view.toFloatArray(), "storage shared, not replaced");
        }
    }
}
