package dev.mona.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.mona.core.engine.Engines;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Gradients from autograd against central finite differences in float64, for the scalar
 * {@code L = sum(f(params, x) * R)} with a fixed random {@code R}: for each tensor, the derivative along random
 * directions {@code d} ({@code g . d}) against {@code (L(p + eps d) - L(p - eps d)) / (2 eps)}; the error of a
 * tensor is the relative error over its directions.
 */
final class GradCheck {
    static final double EPS = 1e-5;
    /**
     * Denominator floor: a derivative that vanishes identically (a key bias, which softmax ignores) is compared
     * in absolute terms (central differences leave ~1e-9 of noise there).
     */
    static final double FLOOR = 1e-2;

    private GradCheck() {}

    /** Relative error per checked tensor: every parameter, plus "input" when {@code wrtInput}. */
    static Map<String, Double> errors(NDManager m, BiFunction<Params, NDArray, NDArray> f, Params params,
                                      NDArray x, boolean wrtInput, int directions, long seed) {
        // tiny float64 ops run ~10x faster on one intra-op thread than on two that spin against a busy machine
        Engines.pytorch(); // loads the native library before the thread calls
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            return errorsOnThisThread(m, f, params, x, wrtInput, directions, seed);
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    private static Map<String, Double> errorsOnThisThread(NDManager m, BiFunction<Params, NDArray, NDArray> f,
                                                          Params params, NDArray x, boolean wrtInput, int directions,
                                                          long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Engine engine = Engines.pytorch();
        Map<String, NDArray> leaves = new LinkedHashMap<>();
        params.asMap().forEach((k, v) -> leaves.put(k, leaf(m, v)));
        NDArray xLeaf = wrtInput ? leaf(m, x) : x;
        NDArray r;
        Map<String, double[]> grads = new LinkedHashMap<>();
        try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray out = f.apply(Params.of(leaves), xLeaf);
            r = random(m, out.getShape(), rng);
            gc.backward(out.mul(r).sum());
            leaves.forEach((k, v) -> grads.put(k, v.getGradient().toDoubleArray()));
            if (wrtInput) {
                grads.put("input", xLeaf.getGradient().toDoubleArray());
            }
        }
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> g : grads.entrySet()) {
            String name = g.getKey();
            NDArray base = name.equals("input") ? x : params.get(name);
            double[] v = base.toDoubleArray();
            double num = 0;
            double den = 0;
            for (int c = 0; c < directions; c++) {
                // directional derivative along a random direction d: g . d against the central difference
                double[] dir = new double[v.length];
                double analytic = 0;
                for (int j = 0; j < v.length; j++) {
                    dir[j] = rng.nextGaussian();
                    analytic += g.getValue()[j] * dir[j];
                }
                double fd = (loss(m, f, params, x, name, v, dir, EPS, r) - loss(m, f, params, x, name, v, dir, -EPS, r))
                        / (2 * EPS);
                num += sq(analytic - fd);
                den += sq(fd);
            }
            errors.put(name, Math.sqrt(num) / Math.max(Math.sqrt(den), FLOOR));
        }
        return errors;
    }

    /** The worst error of {@link #errors}. */
    static double worst(Map<String, Double> errors) {
        return errors.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static double loss(NDManager m, BiFunction<Params, NDArray, NDArray> f, Params params, NDArray x,
                               String name, double[] v, double[] dir, double delta, NDArray r) {
        try (NDManager sub = m.newSubManager()) {
            double[] w = v.clone();
            for (int j = 0; j < w.length; j++) {
                w[j] += delta * dir[j];
            }
            NDArray perturbed = sub.create(w, name.equals("input") ? x.getShape() : params.get(name).getShape());
            Params p = name.equals("input") ? params : params.with(name, perturbed);
            NDArray in = name.equals("input") ? perturbed : copy(sub, x);
            return f.apply(p, in).mul(r).sum().getDouble();
        }
    }

    static NDArray leaf(NDManager m, NDArray v) {
        NDArray a = copy(m, v);
        a.setRequiresGradient(true);
        return a;
    }

    static NDArray copy(NDManager m, NDArray v) {
        NDArray a = v.duplicate();
        a.attach(m);
        return a;
    }

    static NDArray random(NDManager m, Shape shape, SplittableRandom rng) {
        double[] d = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian();
        }
        return m.create(d, shape);
    }

    /** Parameters re-drawn with std 0.5 (float64), so that every path carries a visible gradient. */
    static Params noisy(NDManager m, Module module, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        module.parameterShapes().forEach((k, s) -> {
            NDArray a = random(m, s, rng).mul(0.5);
            // rank-1 weights are LayerNorm scales: keep them near 1 so activations stay O(1)
            out.put(k, k.endsWith(".weight") && s.dimension() == 1 ? a.add(1) : a);
        });
        return Params.of(out);
    }

    private static double sq(double d) {
        return d * d;
    }

    static DataType f64() {
        return DataType.FLOAT64;
    }
}
