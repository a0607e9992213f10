package dev.mona.core.method;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.TaskData;
import dev.mona.core.engine.Engines;
import dev.mona.core.io.SafetensorsFile;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.Losses;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.model.MonaModelException;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.Autograd;
import dev.mona.core.train.CheckpointStore;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;
import dev.mona.core.train.TrainerOptions;
import dev.mona.core.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stage 1 of Emb, ORCA and MoNA stopped after some steps and resumed from its checkpoint ends bit-identical. */
class Stage1ResumeTest {
    static final TransferModel MODEL = TinyModels.model(3, 5, 8, 3);
    static final TaskData TASK = new TaskData(TinyModels.split(12, 4, 3, 3, 5), TinyModels.split(6, 4, 3, 3, 7),
            TinyModels.split(3, 4, 3, 3, 8));
    static final DataSplit SOURCE = TinyModels.split(24, 4, 5, 3, 6);
    static final TrainConfig STAGE2 = new TrainConfig(1, 4, 1, OptimizerKind.ADAMW, 1e-2, 1e-2, 0, 0, 1.0);

    static MonaConfig mona(int steps) {
        return new MonaConfig(0.5, 0.4, 2.0, steps, true, UniformityPairs.ALL, 2, 3, 4, OptimizerKind.ADAM, 1e-2,
                HvpMode.EXACT, 2, 7L);
    }

    /** method, crash at step, the checkpoint the resumed run starts from, total steps (checkpoints every 2 steps) */
    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of(new Method.Mona(mona(6)), 5, 4, 6),
                Arguments.of(new Method.Orca(OrcaAlignerTest.config(5, 20, 10, 1000, 7, 0.05, 3)),
                        3, 2, 5),
                // 12 samples in batches of 4: 3 steps an epoch; step 4 is mid-epoch 1
                Arguments.of(new Method.EmbedderWarmup(2, true), 5, 4, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void interruptedAndResumedStage1IsBitIdentical(Method method, int crashAt, int resumeFrom, int total,
                                                   @TempDir Path dir) {
        Map<String, int[]> uninterrupted;
        List<Double> fullLosses;
        try (NDManager m = Engines.newManager(Device.cpu())) {
            MethodContext ctx = context(m, initial(m, false));
            fullLosses = method.prepare(ctx);
            uninterrupted = bits(ctx.params());
        }
        Path ck = dir.resolve("stage1");
        try (NDManager m = Engines.newManager(Device.cpu())) {
            MethodContext ctx = context(m, initial(m, false)).withStage1(Stage1Options.none().withCheckpoints(ck, 2)
                    .withListener(new TrainingListener() {
                        @Override
                        public void onStep(Progress p) {
                            if (p.step() == crashAt) {
                                throw new IllegalStateException("simulated crash at step " + crashAt);
                            }
                        }
                    }));
            assertThrows(IllegalStateException.class, () -> method.prepare(ctx));
        }
        Path latest = new CheckpointStore(ck).latestDirectory().orElseThrow();
        assertEquals(String.format("step-%010d", resumeFrom), latest.getFileName().toString());
        try (SafetensorsFile st = SafetensorsFile.open(latest.resolve(CheckpointStore.PARAMS))) {
            // the moved parameters only: the embedder (and Emb's predictor), never the frozen pretrained encoder
            Set<String> names = st.tensors().keySet();
            assertTrue(names.stream().noneMatch(n -> n.startsWith(TransferModel.ENCODER)), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith(TransferModel.EMBEDDER)), names.toString());
        }
        List<Long> steps = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            // another embedder: the checkpoint must overwrite it
            MethodContext ctx = context(m, initial(m, true)).withStage1(Stage1Options.none().withCheckpoints(ck, 2)
                    .withListener(new TrainingListener() {
                        @Override
                        public void onStep(Progress p) {
                            assertEquals(total, p.totalSteps());
                            steps.add(p.step());
                        }

                        @Override
                        public void onCheckpoint(Path directory, long step) {
                            checkpoints.add(step);
                        }
                    }));
            List<Double> losses = method.prepare(ctx);
            Map<String, int[]> after = bits(ctx.params());
            assertEquals(uninterrupted.keySet(), after.keySet());
            for (String name : uninterrupted.keySet()) {
                assertArrayEquals(uninterrupted.get(name), after.get(name), method.name() + " " + name);
            }
            assertEquals(fullLosses, losses, "every step's loss, those before the checkpoint included");
        }
        List<Long> expected = new ArrayList<>();
        for (long s = resumeFrom + 1; s <= total; s++) {
            expected.add(s);
        }
        assertEquals(expected, steps, "the resumed run recomputes only the steps after its checkpoint");
        assertTrue(checkpoints.contains((long) total), "the last step is checkpointed: " + checkpoints);
    }

    @Test
    void resumeUnderAnotherConfigurationIsATypedError(@TempDir Path dir) {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            new Method.Mona(mona(2)).prepare(context(m, initial(m, false))
                    .withStage1(Stage1Options.none().withCheckpoints(dir, 1)));
            MethodContext ctx = context(m, initial(m, false)).withStage1(Stage1Options.none().withCheckpoints(dir, 1));
            MonaModelException e = assertThrows(MonaModelException.class, () -> new Method.Mona(mona(3)).prepare(ctx));
            assertTrue(e.getMessage().contains("same configuration"), e.getMessage());
        }
    }

    static MethodContext context(NDManager m, Params params) {
        return new MethodContext(MODEL, m, params, TASK, true, SOURCE, Losses.of(LossKind.CROSS_ENTROPY),
                MetricKind.ERROR_RATE, STAGE2, TrainerOptions.seeded(11));
    }

    /** The same pretrained encoder and predictor every time; with {@code otherEmbedder}, another embedder. */
    static Params initial(NDManager m, boolean otherEmbedder) {
        Params p = MODEL.initialise(m, DataType.FLOAT32, new SplittableRandom(3));
        if (otherEmbedder) {
            Params other = MODEL.initialise(m, DataType.FLOAT32, new SplittableRandom(99));
            p.asMap().forEach((name, a) -> {
                if (name.startsWith(TransferModel.EMBEDDER)) {
                    Autograd.copyInto(a, other.get(name));
                }
            });
        }
        return p;
    }

    static Map<String, int[]> bits(Params p) {
        Map<String, int[]> out = new LinkedHashMap<>();
        p.asMap().forEach((k, v) -> {
            float[] f = v.toFloatArray();
            int[] b = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                b[i] = Float.floatToRawIntBits(f[i]);
            }
            out.put(k, b);
        });
        return out;
    }
}
