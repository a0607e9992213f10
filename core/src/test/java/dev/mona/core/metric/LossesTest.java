package dev.mona.core.metric;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.MonaModelException;
import dev.mona.core.train.Autograd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {
    private static double value(Loss loss, double[] pred, long[] shape, double[] y, long[] yShape) {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray p = m.create(pred, new Shape(shape));
            NDArray t = m.create(y, new Shape(yShape));
            return loss.apply(p, t).getDouble();
        }
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    @Test
    void handComputedValues() {
        long[] s23 = {2, 3};
        double[] logits = {1, 2, 3, 1, 1, 1};
        double[] ids = {2, 0};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        double lp0 = 3 - Math.log(z);
        double lp1 = -Math.log(3);
        assertEquals(-(lp0 + lp1) / 2, value(Losses.of(LossKind.CROSS_ENTROPY), logits, s23, ids, new long[] {2}),
                1e-12);
        // class weights (1, 0.5, 2): the weighted mean -(w2 lp0 + w0 lp1) / (w2 + w0), as PyTorch's weight=
        assertEquals(-(2 * lp0 + lp1) / 3, value(Losses.of(LossKind.CROSS_ENTROPY,
                LossOptions.defaults().withClassWeight(1, 0.5, 2)), logits, s23, ids, new long[] {2}), 1e-12);
        // focal, gamma 2: -(1 - p)^2 log p averaged
        double p0 = Math.exp(lp0);
        double p1 = 1.0 / 3;
        double focal = -((1 - p0) * (1 - p0) * lp0 + (1 - p1) * (1 - p1) * lp1) / 2;
        assertEquals(focal, value(Losses.of(LossKind.FOCAL), logits, s23, ids, new long[] {2, 1}), 1e-12);
        assertEquals(-(lp0 + lp1) / 2, value(Losses.of(LossKind.FOCAL, LossOptions.defaults().withFocalGamma(0)),
                logits, s23, ids, new long[] {2}), 1e-12);

        // BCE with pos_weight 3: w y softplus(-x) + (1 - y) softplus(x)
        double[] x = {0, 2, -1, 40};
        double[] y = {1, 0, 1, 0};
        double bce = (3 * softplus(0) + softplus(2) + 3 * softplus(1) + 40 + softplus(-40)) / 4;
        assertEquals(bce, value(Losses.of(LossKind.BCE_POS_WEIGHT, LossOptions.defaults().withPosWeight(3)), x,
                new long[] {2, 2}, y, new long[] {2, 2}), 1e-12);
        // per-label weights (2, 5) on the last axis
        double bce2 = (2 * softplus(0) + softplus(2) + 2 * softplus(1) + 40 + softplus(-40)) / 4;
        assertEquals(bce2, value(Losses.of(LossKind.BCE_POS_WEIGHT, LossOptions.defaults().withPosWeight(2, 5)),
                x, new long[] {2, 2}, y, new long[] {2, 2}), 1e-12);

        // relative L2: sample 1 ||(1,2)-(1,0)|| / ||(1,0)|| = 2; sample 2 ||(0,3)-(3,4)|| / 5 = sqrt(10)/5
        double[] pr = {1, 2, 0, 3};
        double[] tr = {1, 0, 3, 4};
        assertEquals((2 + Math.sqrt(10) / 5) / 2, value(Losses.of(LossKind.RELATIVE_L2), pr, new long[] {2, 2}, tr,
                new long[] {2, 2}), 1e-12);
        assertEquals((0 + 4 + 9 + 1) / 4.0, value(Losses.of(LossKind.MSE), pr, new long[] {2, 2}, tr,
                new long[] {2, 2}), 1e-12);
        // nRMSE, (B=1, C=2, L=2): channel 0 sqrt(4/2)/sqrt(1/2) = 2, channel 1 sqrt(10/2)/sqrt(25/2) = sqrt(10)/5
        assertEquals((2 + Math.sqrt(10) / 5) / 2, value(Losses.of(LossKind.NRMSE), pr, new long[] {1, 2, 2}, tr,
                new long[] {1, 2, 2}), 1e-12);
        // (B, L) is one channel per sample: equals relative L2 per sample here because the lengths cancel
        assertEquals((2 + Math.sqrt(10) / 5) / 2, value(Losses.of(LossKind.NRMSE), pr, new long[] {2, 2}, tr,
                new long[] {2, 2}), 1e-12);
        // ORCA's rmse_loss (Burgers, 1-D CFD): per sample sqrt(mean sq. error), unnormalised: sqrt(4/2), sqrt(10/2)
        assertEquals((Math.sqrt(2) + Math.sqrt(5)) / 2, value(Losses.of(LossKind.RMSE), pr, new long[] {2, 1, 2},
                tr, new long[] {2, 1, 2}), 1e-12);
        // one sample of 2 channels: all four values in one mean, sqrt(14/4)
        assertEquals(Math.sqrt(14 / 4.0), value(Losses.of(LossKind.RMSE), pr, new long[] {1, 2, 2}, tr,
                new long[] {1, 2, 2}), 1e-12);
    }

    /** Inputs for a loss kind: prediction, its shape, target, its shape. */
    private record Case(double[] pred, long[] shape, double[] y, long[] yShape) {}

    private static Case caseOf(LossKind kind) {
        SplittableRandom r = new SplittableRandom(kind.ordinal() + 1);
        double[] pred = new double[12];
        for (int i = 0; i < pred.length; i++) {
            pred[i] = r.nextDouble() * 2 - 1;
        }
        return switch (kind) {
            case CROSS_ENTROPY, FOCAL -> new Case(pred, new long[] {4, 3}, new double[] {0, 2, 1, 2}, new long[] {4});
            case BCE_POS_WEIGHT -> new Case(pred, new long[] {4, 3},
                    new double[] {1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0}, new long[] {4, 3});
            default -> {
                double[] y = new double[12];
                for (int i = 0; i < y.length; i++) {
                    y[i] = r.nextDouble() * 2 - 1;
                }
                yield new Case(pred, new long[] {2, 2, 3}, y, new long[] {2, 2, 3});
            }
        };
    }

    private static Loss lossOf(LossKind kind) {
        return Losses.of(kind, LossOptions.defaults().withPosWeight(2.0, 0.5, 3.0));
    }

    private static double relErr(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    /** Gradient of the loss with respect to the prediction, by autograd in float64. */
    private static double[] gradient(LossKind kind, double[] pred, Case c) {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray p = m.create(pred, new Shape(c.shape()));
            p.setRequiresGradient(true);
            NDArray y = m.create(c.y(), new Shape(c.yShape()));
            Autograd.withGradMode(true, () -> {
                Autograd.backward(lossOf(kind).apply(p, y));
                return null;
            });
            return p.getGradient().toDoubleArray();
        }
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void gradientMatchesCentralDifferencesInFloat64(LossKind kind) {
        Case c = caseOf(kind);
        double[] ad = gradient(kind, c.pred(), c);
        double[] fd = new double[ad.length];
        double h = 1e-6;
        for (int i = 0; i < fd.length; i++) {
            double[] plus = c.pred().clone();
            double[] minus = c.pred().clone();
            plus[i] += h;
            minus[i] -= h;
            fd[i] = (value(lossOf(kind), plus, c.shape(), c.y(), c.yShape())
                    - value(lossOf(kind), minus, c.shape(), c.y(), c.yShape())) / (2 * h);
        }
        assertTrue(relErr(ad, fd) < 1e-6, kind + " relative error " + relErr(ad, fd));
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void doubleBackwardGivesTheHessianVectorProduct(LossKind kind) {
        Case c = caseOf(kind);
        SplittableRandom r = new SplittableRandom(42);
        double[] v = new double[c.pred().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() - 0.5;
        }
        double[] hv;
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray p = m.create(c.pred(), new Shape(c.shape()));
            p.setRequiresGradient(true);
            NDArray y = m.create(c.y(), new Shape(c.yShape()));
            NDArray va = m.create(v, new Shape(c.shape()));
            hv = Autograd.withGradMode(true, () -> {
                NDArray l = lossOf(kind).apply(p, y);
                JniUtils.backward((PtNDArray) l, (PtNDArray) l.onesLike(), true, true);
                NDArray g = p.getGradient();
                double[] first = g.toDoubleArray();
                NDArray gv = g.mul(va).sum();
                JniUtils.backward((PtNDArray) gv, (PtNDArray) gv.onesLike(), false, false);
                double[] total = p.getGradient().toDoubleArray();
                double[] out = new double[first.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = total[i] - first[i]; // .grad accumulated g + Hv
                }
                return out;
            });
        }
        double eps = 1e-5;
        double[] plus = c.pred().clone();
        double[] minus = c.pred().clone();
        for (int i = 0; i < v.length; i++) {
            plus[i] += eps * v[i];
            minus[i] -= eps * v[i];
        }
        double[] gp = gradient(kind, plus, c);
        double[] gm = gradient(kind, minus, c);
        double[] fd = new double[v.length];
        for (int i = 0; i < fd.length; i++) {
            fd[i] = (gp[i] - gm[i]) / (2 * eps);
        }
        assertTrue(relErr(hv, fd) < 1e-6, kind + " Hv relative error " + relErr(hv, fd));
    }

    @Test
    void shapeMistakesAreTypedErrors() {
        var e = assertThrows(MonaModelException.class, () -> value(Losses.of(LossKind.MSE), new double[4],
                new long[] {2, 2}, new double[2], new long[] {2}));
        assertTrue(e.getMessage().contains("(2, 2)") && e.getMessage().contains("(2)"), e.getMessage());
        e = assertThrows(MonaModelException.class, () -> value(Losses.of(LossKind.BCE_POS_WEIGHT,
                LossOptions.defaults().withPosWeight(1, 2, 3)), new double[4], new long[] {2, 2}, new double[4],
                new long[] {2, 2}));
        assertTrue(e.getMessage().contains("pos_weight has 3"), e.getMessage());
    }
}
