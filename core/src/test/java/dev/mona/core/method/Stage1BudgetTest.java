package dev.mona.core.method;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
import dev.mona.core.train.OptimizerKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each stage-1 method makes the embedder updates {@link Method#updates} says (what {@code stage1.budget} equalises),
 * and reports every step's losses to {@link Stage1Listener}s just before the step's progress.
 */
class Stage1BudgetTest {
    /** method, the updates it must make (Stage1ResumeTest's task: 12 samples in batches of 4, 3 steps an epoch) */
    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of(new Method.Mona(Stage1ResumeTest.mona(4)), 4),
                Arguments.of(new Method.Orca(new OrcaConfig(4, 20, 0.1, 10, 1000, 4, 7, OptimizerKind.ADAM, 0.05, 0, 0,
                        0.9, 0.98, OrcaConfig.MILESTONES, OrcaConfig.GAMMA, 3)), 4),
                // a budget of 4 updates: one epoch of 3 is nearest; of 5: two epochs of 3
                Arguments.of(new Method.EmbedderWarmup(0, true, 4), 3),
                Arguments.of(new Method.EmbedderWarmup(0, true, 5), 6),
                // below one epoch: still one epoch
                Arguments.of(new Method.EmbedderWarmup(0, true, 1), 3),
                Arguments.of(new Method.EmbedderWarmup(2, true), 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void stageOneMakesItsUpdatesAndReportsEachStepsLosses(Method method, int updates) {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            List<Stage1Step> reported = new ArrayList<>();
            List<Long> steps = new ArrayList<>();
            MethodContext ctx = Stage1ResumeTest.context(m, Stage1ResumeTest.initial(m, false))
                    .withStage1(Stage1Options.none().withListener(new Stage1Listener() {
                        @Override
                        public void onStage1Step(Stage1Step step) {
                            reported.add(step);
                        }

                        @Override
                        public void onStep(Progress p) {
                            steps.add(p.step());
                            assertEquals(updates, p.totalSteps());
                            Stage1Step s = reported.get(reported.size() - 1);
                            assertEquals(p.step(), s.step(), "the step's losses come just before its progress");
                            if (method instanceof Method.EmbedderWarmup) {
                                assertEquals(p.loss(), s.innerLoss());
                                assertNull(s.ratio());
                            } else if (method instanceof Method.Orca) {
                                assertEquals(p.loss(), s.otdd());
                                assertNull(s.innerLoss());
                            } else {
                                double lambda = ((Method.Mona) method).config().lambda();
                                assertEquals(p.loss(), s.innerLoss() + lambda * (s.alignment() + s.uniformity()),
                                        1e-6 * Math.abs(p.loss()));
                                // measured on the first and every mona.diagnostics-every-th meta-step only
                                MonaConfig c = ((Method.Mona) method).config();
                                assertEquals(c.diagnosesBefore((int) p.step() - 1), s.alignmentBefore() != null,
                                        s.toString());
                                assertEquals(s.alignmentBefore() != null, s.uniformityBefore() != null);
                                assertTrue(s.ratio() > 0 && Double.isFinite(s.ratio()), s.toString());
                                assertTrue(Math.abs(s.cosine()) <= 1 + 1e-6, s.toString());
                            }
                        }
                    }));
            assertEquals(updates, method.updates(ctx));
            method.prepare(ctx);
            assertEquals(updates, steps.size());
            assertEquals(updates, reported.size());
            assertEquals(updates, steps.get(steps.size() - 1));
        }
    }
}
