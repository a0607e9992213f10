package dev.mona.core.method;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.OptimizerKind;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The must-show check on the project's real encoders: the exact MoNA meta-gradient with respect to every embedder
 * parameter equals central finite differences of {@code L_in + lambda L_out(theta - alpha grad L_in)} in float64,
 * and the first-order version (second-order term dropped) is far off. Per parameter tensor: a random direction
 * through all of its entries plus up to three single entries.
 */
class MonaEncodersMetaGradientTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MonaEncodersMetaGradientTest.class);

    @Test
    void smallSwin() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            TransferModel model = Architectures.classifier(SwinConfig.tiny(), new long[] {1, 8, 8}, 3);
            SplittableRandom rng = new SplittableRandom(5);
            NDArray xt = gaussian(m, rng, 3, 1, 8, 8);
            NDArray xs = gaussian(m, rng, 4, 3, 32, 32);
            check("swin", model, m, xt, xs, rng);
        }
    }

    @Test
    void smallTextEncoder() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            TransferModel model = Architectures.classifier(BertConfig.tinyBert(), new long[] {2, 12}, 3, 6);
            SplittableRandom rng = new SplittableRandom(6);
            NDArray xt = gaussian(m, rng, 3, 2, 12);
            double[] ids = new double[4 * 7];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1 + rng.nextInt(39);
            }
            NDArray xs = m.create(ids, new Shape(4, 7)).toType(DataType.INT64, false);
            check("text", model, m, xt, xs, rng);
        }
    }

    private static NDArray gaussian(NDManager m, SplittableRandom rng, long... shape) {
        double[] d = new double[(int) new Shape(shape).size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian();
        }
        return m.create(d, new Shape(shape));
    }

    private static void check(String which, TransferModel model, NDManager m, NDArray xt, NDArray xs,
                              SplittableRandom rng) {
        Params params = Architectures.initialise(model, null, false, m, DataType.FLOAT64, new SplittableRandom(3));
        // larger random weights than the default init make the second-order term prominent
        params = params.map((k, v) -> k.startsWith(TransferModel.ENCODER) && !k.contains("norm")
                && !k.contains("LayerNorm") ? v.mul(8) : v);
        NDArray yt = m.create(new double[] {0, 1, 2});
        int[] ys = {0, 0, 1, 1};
        MonaConfig c = new MonaConfig(0.5, 0.4, 2.0, 1, true, UniformityPairs.ALL, 2, 2, 3, OptimizerKind.ADAM,
                1e-3, HvpMode.EXACT, 1, 0);
        MonaAligner aligner = new MonaAligner(model, c, dev.mona.core.metric.Losses.of(
                dev.mona.core.metric.LossKind.CROSS_ENTROPY));
        Map<String, NDArray> exact = aligner.metaGradient(params, xt, yt, xs, ys, HvpMode.EXACT);
        Map<String, NDArray> first = aligner.firstOrderGradient(params, xt, yt, xs, ys);
        double h = 1e-5;
        for (String name : exact.keySet()) {
            NDArray p = params.get(name);
            double[] base = p.toDoubleArray();
            double[] g = exact.get(name).toDoubleArray();
            double[] g1 = first.get(name).toDoubleArray();
            int probes = Math.min(3, base.length);
            double[] fd = new double[probes + 1];
            double[] ge = new double[probes + 1];
            double[] gf = new double[probes + 1];
            double[] dir = new double[base.length];
            for (int i = 0; i < base.length; i++) {
                dir[i] = rng.nextGaussian();
                ge[probes] += g[i] * dir[i];
                gf[probes] += g1[i] * dir[i];
            }
            for (int s = 0; s <= probes; s++) {
                double[] unit = new double[base.length];
                if (s < probes) {
                    int idx = rng.nextInt(base.length);
                    unit[idx] = 1;
                    ge[s] = g[idx];
                    gf[s] = g1[idx];
                } else {
                    unit = dir;
                }
                fd[s] = (phi(model, params, name, base, unit, h, xt, yt, xs, ys, c)
                        - phi(model, params, name, base, unit, -h, xt, yt, xs, ys, c)) / (2 * h);
            }
            double eExact = MonaAlignerTest.relativeError(ge, fd);
            double eFirst = MonaAlignerTest.relativeError(gf, fd);
            LOG.info("{} {}: relative error exact {} first-order {}", which, name, eExact, eFirst);
            assertTrue(eExact < 1e-5, which + " " + name + ": exact meta-gradient off by " + eExact);
            assertTrue(eFirst > 1e-3 && eFirst > 100 * eExact,
                    which + " " + name + ": first-order error " + eFirst + " vs exact " + eExact);
        }
    }

    private static double phi(TransferModel model, Params params, String name, double[] base, double[] dir,
                              double h, NDArray xt, NDArray yt, NDArray xs, int[] ys, MonaConfig c) {
        double[] d = base.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += h * dir[i];
        }
        NDArray p = params.get(name);
        try (NDManager sub = p.getManager().newSubManager()) {
            NDArray moved = sub.create(d, p.getShape());
            return MonaAlignerTest.objective(model, params.with(name, moved), xt, yt, xs, ys, c);
        }
    }
}
