package dev.mona.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MoNA meta-gradient needs the mixed second derivative {@code grad_phi[(grad_theta L) . v]} (phi = embedder,
 * theta = encoder + predictor). Exact double backward through each whole tiny model is checked against central
 * differences of first-order embedder gradients: {@code [grad_phi L(theta + eps v) - grad_phi L(theta - eps v)]
 * / (2 eps)}, along a random direction in phi.
 */
class DoubleBackwardTest extends CpuManagerTest {
    @Test
    void swinViTAndTextModelsHaveExactMixedSecondDerivatives() {
        SwinConfig swin = new SwinConfig(16, 2, 2, 8, List.of(2, 1), List.of(2, 2), 4, 2.0, 1e-5);
        check(Architectures.dense(swin, new long[] {1, 6, 6}, 2), new Shape(1, 1, 6, 6), 1);
        check(Architectures.classifier(VitConfig.test(), new long[] {1, 6, 6}, 3), new Shape(2, 1, 6, 6), 2);
        check(Architectures.classifier(BertConfig.tinyRoberta(), new long[] {2, 12}, 3, 6), new Shape(2, 2, 12), 3);
        check(Architectures.dense(BertConfig.tinyBert(), new long[] {1, 8}, 1, 4), new Shape(2, 1, 8), 4);
    }

    private static void check(TransferModel model, Shape inputShape, long seed) {
        Engines.pytorch(); // loads the native library before the thread calls
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            SplittableRandom rng = new SplittableRandom(seed);
            Params p = GradCheck.noisy(m, model, seed);
            NDArray x = GradCheck.random(m, inputShape, rng);
            NDArray r = GradCheck.random(m, model.forward(p, x).getShape(), rng);
            Map<String, NDArray> v = new LinkedHashMap<>();
            Map<String, NDArray> d = new LinkedHashMap<>();
            for (String n : p.names()) {
                (n.startsWith(TransferModel.EMBEDDER) ? d : v).put(n, GradCheck.random(m, p.get(n).getShape(), rng));
            }
            double exact = mixed(model, p, x, r, v, d);
            double eps = 1e-5;
            double fd = (embedderSlope(model, shift(p, v, eps), x, r, d)
                    - embedderSlope(model, shift(p, v, -eps), x, r, d)) / (2 * eps);
            double err = Math.abs(exact - fd) / Math.max(Math.abs(fd), GradCheck.FLOOR);
            assertTrue(err < 1e-6, model.encoder().getClass().getSimpleName() + ": exact " + exact + " vs " + fd);
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    /** {@code d . grad_phi[(grad_theta L) . v]} by backward with create_graph, then a second backward. */
    private static double mixed(TransferModel model, Params p, NDArray x, NDArray r, Map<String, NDArray> v,
                                Map<String, NDArray> d) {
        Engine engine = Engines.pytorch();
        try (NDManager sub = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            p.asMap().forEach((k, a) -> leaves.put(k, GradCheck.leaf(sub, a)));
            NDArray loss = model.forward(Params.of(leaves), GradCheck.copy(sub, x)).mul(r).sum();
            JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), true, true);
            Map<String, double[]> first = new LinkedHashMap<>();
            NDArray s = null;
            for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
                NDArray g = e.getValue().getGradient();
                if (d.containsKey(e.getKey())) {
                    first.put(e.getKey(), g.toDoubleArray());
                } else {
                    NDArray term = g.mul(v.get(e.getKey())).sum();
                    s = s == null ? term : s.add(term);
                }
            }
            JniUtils.backward((PtNDArray) s, (PtNDArray) s.onesLike(), false, false);
            double out = 0;
            for (Map.Entry<String, double[]> e : first.entrySet()) {
                double[] after = leaves.get(e.getKey()).getGradient().toDoubleArray();
                double[] dir = d.get(e.getKey()).toDoubleArray();
                for (int i = 0; i < after.length; i++) {
                    out += (after[i] - e.getValue()[i]) * dir[i];
                }
            }
            return out;
        }
    }

    /** {@code d . grad_phi L} by one first-order backward. */
    private static double embedderSlope(TransferModel model, Params p, NDArray x, NDArray r, Map<String, NDArray> d) {
        Engine engine = Engines.pytorch();
        try (NDManager sub = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            p.asMap().forEach((k, a) -> leaves.put(k, GradCheck.leaf(sub, a)));
            gc.backward(model.forward(Params.of(leaves), GradCheck.copy(sub, x)).mul(r).sum());
            double out = 0;
            for (Map.Entry<String, NDArray> e : d.entrySet()) {
                double[] g = leaves.get(e.getKey()).getGradient().toDoubleArray();
                double[] dir = e.getValue().toDoubleArray();
                for (int i = 0; i < g.length; i++) {
                    out += g[i] * dir[i];
                }
            }
            return out;
        }
    }

    private static Params shift(Params p, Map<String, NDArray> v, double eps) {
        Params out = p;
        for (Map.Entry<String, NDArray> e : v.entrySet()) {
            out = out.with(e.getKey(), p.get(e.getKey()).add(e.getValue().mul(eps)));
        }
        return out;
    }
}
