package dev.mona.core.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.engine.ComputeMode;
import dev.mona.core.train.Autograd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first-order attention path ({@link FusedAttention}, inside {@link ComputeMode#firstOrder()}) against the exact
 * path and against finite differences: same outputs and gradients to float32 rounding, with and without additive
 * masks, for the fused-qkv (ViT) and the separate-projection (BERT, Swin) self-attentions.
 */
class FusedAttentionTest extends CpuManagerTest {
    /** float32 rounding over a few hundred accumulated terms, relative to the largest value compared. */
    private static final double FLOAT32 = 2e-5;

    private record Case(String name, Shape x, int heads, Function<NDManager, NDArray> bias) {}

    private static List<Case> cases() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] pad = {0, 0, 0, Blocks.MASKED_LOGIT, Blocks.MASKED_LOGIT, 0, 0, 0, 0, Blocks.MASKED_LOGIT};
        NDArray window = GradCheck.random(m, new Shape(3, 2, 4, 4), rng).toType(DataType.FLOAT32, false);
        NDArray relative = GradCheck.random(m, new Shape(2, 4, 4), rng).toType(DataType.FLOAT32, false);
        return List.of(
                new Case("tokens, no mask", new Shape(2, 5, 6), 3, mm -> null),
                new Case("tokens, padding mask (B, 1, 1, N)", new Shape(2, 5, 6), 2,
                        mm -> mm.create(pad, new Shape(2, 1, 1, 5)).toType(DataType.FLOAT32, false)),
                new Case("windows, bias per window and head (nW, H, N, N)", new Shape(2, 3, 4, 8), 2,
                        mm -> window),
                new Case("windows, bias per head (H, N, N)", new Shape(2, 3, 4, 8), 2, mm -> relative),
                new Case("one head, 65 tokens", new Shape(3, 65, 4), 1, mm -> null));
    }

    @Test
    void fusedQkvEqualsTheExactPath() {
        for (Case c : cases()) {
            long w = c.x().get(c.x().dimension() - 1);
            Params p = params(new SplittableRandom(11), "qkv", 3 * w, w, "proj", w, w);
            compare(c, p, (q, x) -> Blocks.fusedSelfAttention(q, "", x, c.heads(), c.bias().apply(m)));
        }
    }

    @Test
    void separateProjectionsEqualTheExactPath() {
        for (Case c : cases()) {
            long w = c.x().get(c.x().dimension() - 1);
            Params p = params(new SplittableRandom(12), "s.query", w, w, "s.key", w, w, "s.value", w, w, "o", w, w);
            compare(c, p, (q, x) -> Blocks.selfAttention(q, "s.", "o", x, c.heads(), c.bias().apply(m)));
        }
    }

    @Test
    void fusedPathGradientsMatchFiniteDifferences() {
        // float64 through the fused kernel, against central differences (an independent computation)
        Params vit = params(new SplittableRandom(13), "qkv", 18, 6, "proj", 6, 6).map((n, a) -> a.toType(
                DataType.FLOAT64, false));
        NDArray x = GradCheck.random(m, new Shape(2, 5, 6), new SplittableRandom(14));
        try (ComputeMode.Scope s = ComputeMode.firstOrder()) {
            double err = GradCheck.worst(GradCheck.errors(m, (q, in) -> Blocks.fusedSelfAttention(q, "", in, 3,
                    null), vit, x, true, 2, 15));
            assertTrue(err < 1e-6, "fused qkv: " + err);
            NDArray pad = m.create(new double[] {0, 0, 0, 0, Blocks.MASKED_LOGIT, 0, 0, Blocks.MASKED_LOGIT,
                    Blocks.MASKED_LOGIT, 0}, new Shape(2, 1, 1, 5));
            Params bert = params(new SplittableRandom(16), "s.query", 6, 6, "s.key", 6, 6, "s.value", 6, 6, "o", 6, 6)
                    .map((n, a) -> a.toType(DataType.FLOAT64, false));
            err = GradCheck.worst(GradCheck.errors(m, (q, in) -> Blocks.selfAttention(q, "s.", "o", in, 2, pad),
                    bert, x, true, 2, 17));
            assertTrue(err < 1e-6, "separate, padding mask: " + err);
        }
    }

    @Test
    void aTrainableBiasKeepsItsGradient() {
        // the kernel gives an additive mask no gradient: a bias that needs one (Swin's table) takes the exact path
        Params p = params(new SplittableRandom(18), "s.query", 8, 8, "s.key", 8, 8, "s.value", 8, 8, "o", 8, 8);
        NDArray x = GradCheck.random(m, new Shape(2, 3, 4, 8), new SplittableRandom(19)).toType(DataType.FLOAT32,
                false);
        NDArray table = GradCheck.random(m, new Shape(2, 4, 4), new SplittableRandom(20)).toType(DataType.FLOAT32,
                false);
        double[][] exact;
        double[][] first;
        try (ComputeMode.Scope s = ComputeMode.exact()) {
            exact = biasGradient(p, x, table);
        }
        try (ComputeMode.Scope s = ComputeMode.firstOrder()) {
            first = biasGradient(p, x, table);
        }
        assertClose("trainable bias, output", exact[0], first[0]);
        assertClose("trainable bias, gradient", exact[1], first[1]);
        assertTrue(maxAbs(exact[1]) > 1e-3, "the bias gradient is not trivially zero");
    }

    @Test
    void onlyTheExactPathHasADoubleBackward() {
        Params p = params(new SplittableRandom(21), "qkv", 18, 6, "proj", 6, 6);
        NDArray x = GradCheck.random(m, new Shape(2, 5, 6), new SplittableRandom(22)).toType(DataType.FLOAT32,
                false);
        try (ComputeMode.Scope s = ComputeMode.exact()) {
            assertEquals(1, secondOrder(p, x).size());
        }
        try (ComputeMode.Scope s = ComputeMode.firstOrder()) {
            assertThrows(EngineException.class, () -> secondOrder(p, x));
        }
    }

    @Test
    void maskBroadcastsOverTheLeadingAxes() {
        NDArray bias = m.zeros(new Shape(3, 2, 4, 4));
        assertEquals(new Shape(1, 2, 4, 4), FusedAttention.mask(m.zeros(new Shape(2, 4, 4)), new long[] {5, 3})
                .getShape());
        assertEquals(new Shape(15, 2, 4, 4), FusedAttention.mask(bias, new long[] {5, 3}).getShape());
        assertEquals(new Shape(5, 1, 1, 4), FusedAttention.mask(m.zeros(new Shape(5, 1, 1, 4)), new long[] {5})
                .getShape());
        assertEquals(new Shape(3, 2, 4, 4), FusedAttention.mask(bias, new long[] {3}).getShape());
        assertThrows(IllegalArgumentException.class, () -> FusedAttention.mask(m.zeros(new Shape(1, 3, 2, 4, 4)),
                new long[] {3}));
    }

    /** d/dx of sum(d/dx sum(f(x)^2)): needs the double backward of every op in f. */
    private static NDList secondOrder(Params p, NDArray x) {
        try (NDManager sub = m.newSubManager()) {
            NDArray leaf = GradCheck.leaf(sub, x);
            Params q = leaves(p, sub);
            NDList r = Autograd.withGradMode(true, () -> {
                NDArray y = Blocks.fusedSelfAttention(q, "", leaf, 3, null);
                NDArray g = Autograd.grad(List.of(y.mul(y).sum()), List.of(leaf), null, true, true).get(0);
                return Autograd.grad(List.of(g.sum()), List.of(leaf), null, false, false);
            });
            r.attach(m);
            return r;
        }
    }

    private static double[][] biasGradient(Params p, NDArray x, NDArray table) {
        try (NDManager sub = m.newSubManager()) {
            NDArray t = GradCheck.leaf(sub, table);
            Params q = leaves(p, sub);
            return Autograd.withGradMode(true, () -> {
                NDArray y = Blocks.selfAttention(q, "s.", "o", GradCheck.copy(sub, x), 2, t.mul(1));
                NDArray r = GradCheck.random(sub, y.getShape(), new SplittableRandom(23)).toType(DataType.FLOAT32,
                        false);
                NDArray g = Autograd.grad(List.of(y.mul(r).sum()), List.of(t), null, false, false).get(0);
                return new double[][] {doubles(y), doubles(g)};
            });
        }
    }

    /** Output and gradients (input, then every parameter) of {@code sum(f * R)} under both paths, compared. */
    private static void compare(Case c, Params p, BiFunction<Params, NDArray, NDArray> f) {
        NDArray x = GradCheck.random(m, c.x(), new SplittableRandom(3)).toType(DataType.FLOAT32, false);
        List<double[]> exact;
        List<double[]> first;
        try (ComputeMode.Scope s = ComputeMode.exact()) {
            exact = outputAndGradients(p, x, f);
        }
        try (ComputeMode.Scope s = ComputeMode.firstOrder()) {
            first = outputAndGradients(p, x, f);
        }
        List<String> names = new ArrayList<>(List.of("output", "input"));
        names.addAll(p.names());
        for (int i = 0; i < exact.size(); i++) {
            assertClose(c.name() + ", " + names.get(i), exact.get(i), first.get(i));
        }
    }

    private static List<double[]> outputAndGradients(Params p, NDArray x, BiFunction<Params, NDArray, NDArray> f) {
        try (NDManager sub = m.newSubManager()) {
            NDArray leaf = GradCheck.leaf(sub, x);
            Params q = leaves(p, sub);
            return Autograd.withGradMode(true, () -> {
                NDArray y = f.apply(q, leaf);
                NDArray r = GradCheck.random(sub, y.getShape(), new SplittableRandom(4)).toType(DataType.FLOAT32,
                        false);
                List<NDArray> inputs = new ArrayList<>(List.of(leaf));
                inputs.addAll(q.asMap().values());
                List<double[]> out = new ArrayList<>(List.of(doubles(y)));
                for (NDArray g : Autograd.grad(y.mul(r).sum(), inputs)) {
                    out.add(doubles(g));
                }
                return out;
            });
        }
    }

    private static Params leaves(Params p, NDManager sub) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        p.asMap().forEach((n, a) -> out.put(n, GradCheck.leaf(sub, a)));
        return Params.of(out);
    }

    /** Linear layers {@code name (out, in)} with biases, float32, std 0.5. */
    private static Params params(SplittableRandom rng, Object... nameOutIn) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < nameOutIn.length; i += 3) {
            String name = (String) nameOutIn[i];
            long o = ((Number) nameOutIn[i + 1]).longValue();
            long in = ((Number) nameOutIn[i + 2]).longValue();
            out.put(name + ".weight", GradCheck.random(m, new Shape(o, in), rng).mul(0.5)
                    .toType(DataType.FLOAT32, false));
            out.put(name + ".bias", GradCheck.random(m, new Shape(o), rng).mul(0.5).toType(DataType.FLOAT32, false));
        }
        return Params.of(out);
    }

    private static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what);
        double scale = Math.max(1, maxAbs(expected));
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= FLOAT32 * scale, what + ": max difference " + worst + " at scale " + scale);
    }

    private static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
