package dev.mona.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Params;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    private static final double[] P0 = {1.0, -2.0, 0.5};
    private static final double[] G1 = {0.1, -0.3, 0.0};
    private static final double[] G2 = {-0.2, 0.4, 1.0};

    private static double[] run(Optimizer opt, NDManager m, double lr1, double lr2) {
        Params p = Params.empty().with("w", m.create(P0));
        opt.step(p, Map.of("w", m.create(G1)), lr1);
        opt.step(p, Map.of("w", m.create(G2)), lr2);
        return p.get("w").toDoubleArray();
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        double[] want = new double[3];
        for (int i = 0; i < 3; i++) {
            double g1 = G1[i] + wd * P0[i];
            double buf = g1;
            double p1 = P0[i] - lr * buf;
            double g2 = G2[i] + wd * p1;
            buf = mu * buf + g2;
            want[i] = p1 - 0.05 * buf;
        }
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Sgd sgd = new Sgd(m, mu, wd);
            assertArrayEquals(want, run(sgd, m, lr, 0.05), 1e-15);
            assertEquals(2, sgd.steps());
            assertEquals(List.of("momentum_buffer/w"), List.copyOf(sgd.state().keySet()));
        }
    }

    private static double[] adam(boolean decoupled, double wd) {
        return adam(decoupled, wd, 0.999);
    }

    private static double[] adam(boolean decoupled, double wd, double beta2) {
        // float32-rounded betas, as the fused update uses them
        double b1 = (float) 0.9;
        double b2 = (float) beta2;
        double eps = 1e-8;
        double[] lrs = {0.1, 0.05};
        double[][] gs = {G1, G2};
        double[] p = P0.clone();
        double[] mm = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= 2; t++) {
            double lr = lrs[t - 1];
            for (int i = 0; i < 3; i++) {
                double g = gs[t - 1][i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    g += wd * p[i];
                }
                mm[i] = b1 * mm[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mhat = mm[i] / (1 - Math.pow(b1, t));
                double vhat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
            }
        }
        return p;
    }

    @Test
    void adamAndAdamWMatchTheirDefinitions() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            assertArrayEquals(adam(false, 0.1), run(new Adam(m, 0.9, 0.999, 1e-8, 0.1, false), m, 0.1, 0.05), 1e-8);
            assertArrayEquals(adam(true, 0.1), run(new Adam(m, 0.9, 0.999, 1e-8, 0.1, true), m, 0.1, 0.05), 1e-8);
            assertArrayEquals(adam(true, 0.0), run(new Adam(m, 0.9, 0.999, 1e-8, 0.0, true), m, 0.1, 0.05), 1e-8);
        }
        // first Adam step without decay moves each coordinate by lr * sign(g) (g / (|g| + eps))
        double[] p = adam(false, 0);
        assertEquals(1.0 - 0.1 * 0.1 / (0.1 + 1e-8), adamFirstStep(), 1e-8);
        assertEquals(3, p.length);
    }

    @Test
    void theConfiguredBetasReachAdam() {
        // ORCA's betas (0.9, 0.98): the second step differs from PyTorch's default (0.9, 0.999)
        TrainConfig orca = new TrainConfig(1, 1, 1, OptimizerKind.ADAM, 0.1, 0.1, 0, 0, 0, 0, 0.9, 0.98);
        TrainConfig plain = new TrainConfig(1, 1, 1, OptimizerKind.ADAM, 0.1, 0.1, 0, 0, 0);
        assertEquals(0.999, plain.beta2());
        try (NDManager m = Engines.newManager(Device.cpu())) {
            assertArrayEquals(adam(false, 0.1, 0.98), run(Optimizer.of(orca, m), m, 0.1, 0.05), 1e-8);
            assertArrayEquals(adam(false, 0.1, 0.999), run(Optimizer.of(plain, m), m, 0.1, 0.05), 1e-8);
            double[] a = run(Optimizer.of(orca, m), m, 0.1, 0.05);
            double[] b = run(Optimizer.of(plain, m), m, 0.1, 0.05);
            assertTrue(Math.abs(a[2] - b[2]) > 1e-4, "beta2 matters at step 2: " + a[2] + " vs " + b[2]);
        }
    }

    @Test
    void orcasStepLrDividesByFiveAfterEachMilestone() {
        StepDecay s = new StepDecay(1e-3, List.of(20, 40, 60), 0.2);
        // LambdaLR: factor of scheduler step e is 0.2^(number of milestones m with e > m)
        assertEquals(1e-3, s.at(0), 0);
        assertEquals(1e-3, s.at(20), 0);
        assertEquals(2e-4, s.at(21), 1e-18);
        assertEquals(2e-4, s.at(40), 1e-18);
        assertEquals(4e-5, s.at(41), 1e-18);
        assertEquals(8e-6, s.at(61), 1e-18);
        assertEquals(8e-6, s.at(99), 1e-18);
    }

    @Test
    void decayEpochsSetTheHorizonAndTheRateStepsPerMiniBatch() {
        // ECG: 15 epochs of a 200-epoch decay, warm-up 5; 10 mini-batches an epoch
        TrainConfig ecg = new TrainConfig(15, 4, 16, OptimizerKind.SGD, 1e-6, 0.1, 0.99, 5, 0, 200, 0.9, 0.98);
        WarmupLinearDecay s = WarmupLinearDecay.of(ecg, 10);
        assertEquals(50, s.warmupSteps());
        assertEquals(2000, s.totalSteps());
        assertEquals(1e-6 * 25 / 50, s.at(25), 1e-21);
        // the last mini-batch of the run (149): (2000 - 149) / (2000 - 50) of the peak, far from 0
        assertEquals(1e-6 * 1851 / 1950, s.at(149), 1e-21);
        // without decay epochs: over the run's own epochs
        assertEquals(150, WarmupLinearDecay.of(new TrainConfig(15, 4, 16, OptimizerKind.SGD, 1e-6, 0.1, 0.99, 5, 0),
                10).totalSteps());
    }

    private static double adamFirstStep() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = Params.empty().with("w", m.create(P0));
            new Adam(m, 0.9, 0.999, 1e-8, 0, false).step(p, Map.of("w", m.create(G1)), 0.1);
            return p.get("w").toDoubleArray()[0];
        }
    }

    @Test
    void restoredStateContinuesIdentically() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Adam a = new Adam(m, 0.9, 0.999, 1e-8, 0.1, true);
            Params p = Params.empty().with("w", m.create(P0));
            a.step(p, Map.of("w", m.create(G1)), 0.1);
            Adam b = new Adam(m, 0.9, 0.999, 1e-8, 0.1, true);
            b.restore(a.state(), a.steps());
            Params q = Params.empty().with("w", p.get("w").duplicate());
            a.step(p, Map.of("w", m.create(G2)), 0.05);
            b.step(q, Map.of("w", m.create(G2)), 0.05);
            assertArrayEquals(p.get("w").toDoubleArray(), q.get("w").toDoubleArray(), 0.0);
        }
    }

    @Test
    void clippingScalesByTheGlobalNorm() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray a = m.create(new float[] {3, 4});
            NDArray b = m.create(new float[] {12});
            assertEquals(13.0, GradientClipping.clipGlobalNorm(List.of(a, b), 6.5), 1e-6);
            double c = 6.5 / (13 + 1e-6);
            assertArrayEquals(new float[] {(float) (3 * c), (float) (4 * c)}, a.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {(float) (12 * c)}, b.toFloatArray(), 1e-6f);
            // under the limit: untouched
            assertEquals(6.5, GradientClipping.clipGlobalNorm(List.of(a, b), 100), 1e-5);
            assertArrayEquals(new float[] {(float) (12 * c)}, b.toFloatArray(), 0f);
        }
    }

    @Test
    void warmupThenLinearDecayAtHandComputedSteps() {
        WarmupLinearDecay s = new WarmupLinearDecay(1e-3, 10, 110);
        assertEquals(0.0, s.at(0));
        assertEquals(5e-4, s.at(5), 1e-18);
        assertEquals(1e-3, s.at(10), 1e-18);
        assertEquals(5e-4, s.at(60), 1e-18);
        assertEquals(1e-5, s.at(109), 1e-18);
        assertEquals(0.0, s.at(110));
        assertEquals(0.0, s.at(500), "clamped at 0, not negative");
        // no warm-up: starts at the peak
        WarmupLinearDecay n = new WarmupLinearDecay(2.0, 0, 4);
        assertEquals(2.0, n.at(0));
        assertEquals(1.0, n.at(2));
        // from a configuration: 3 warm-up epochs of 7 steps, 20 epochs
        TrainConfig cfg = new TrainConfig(20, 4, 1, OptimizerKind.ADAM, 1e-4, 0, 0, 3, 0);
        WarmupLinearDecay c = WarmupLinearDecay.of(cfg, 7);
        assertEquals(21, c.warmupSteps());
        assertEquals(140, c.totalSteps());
    }

    @Test
    void freezePatternsAreGlobsOrRegexes() {
        ParameterFilter f = ParameterFilter.of("encoder.*", "regex:predictor\\.layers\\.[01]\\..*",
                "embedder.?orm.weight");
        assertEquals(true, f.test("encoder.layers.0.attention.q.weight"));
        assertEquals(false, f.test("embedder.proj.weight"));
        assertEquals(true, f.test("embedder.norm.weight"));
        assertEquals(true, f.test("predictor.layers.1.bias"));
        assertEquals(false, f.test("predictor.layers.2.bias"));
        assertEquals(false, ParameterFilter.of("encoder").test("encoder.x"), "whole-name match");
        assertEquals(false, ParameterFilter.none().test("anything"));
    }
}
