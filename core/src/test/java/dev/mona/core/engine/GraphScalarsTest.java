package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mona.core.metric.Losses;
import dev.mona.core.train.Autograd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Gradients through graph scalars, with a forced garbage collection and heap churn between forward and backward
 * (the failure mode of DJL's {@code op(Number)}: a scalar over a freed Java buffer), checked against central finite
 * differences in float64.
 */
class GraphScalarsTest {

    private static final double[] X = {0.7, -1.3, 2.1, 0.4, -0.2, 1.6};

    @Test
    void helpersMatchHandDerivatives() {
        // d/dx sum(x^3) = 3x^2; d/dx sum(max(x,0.5)) = [x>0.5]; d/dx sum(min(x,0.5)) = [x<0.5]
        double[] pow = new double[X.length];
        double[] max = new double[X.length];
        double[] min = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            pow[i] = 3 * X[i] * X[i];
            max[i] = X[i] > 0.5 ? 1 : 0;
            min[i] = X[i] < 0.5 ? 1 : 0;
        }
        assertArrayEquals(pow, gradAfterGc(x -> GraphScalars.pow(x, 3).sum()), 1e-12);
        assertArrayEquals(max, gradAfterGc(x -> GraphScalars.maximum(x, 0.5).sum()), 1e-12);
        assertArrayEquals(min, gradAfterGc(x -> GraphScalars.minimum(x, 0.5).sum()), 1e-12);
    }

    @Test
    void lossesWithScalarsMatchFiniteDifferencesAfterGc() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray classes = m.create(new double[] {2, 0});
            NDArray binary = m.create(new double[] {1, 0, 0, 1, 1, 0}, new ai.djl.ndarray.types.Shape(2, 3));
            // focal: pow(gamma); BCE: one positive weight (mul) and the stable softplus (maximum(x, 0))
            Function<NDArray, NDArray> focal = x -> Losses.focal(x.reshape(2, 3), classes, 2.0);
            Function<NDArray, NDArray> bce = x -> Losses.bceWithLogits(x.reshape(2, 3), binary, new double[] {3.0});
            for (Function<NDArray, NDArray> f : List.of(focal, bce)) {
                double[] fd = finiteDifference(m, f);
                for (int r = 0; r < 5; r++) {
                    assertArrayEquals(fd, gradAfterGc(f), 1e-7);
                }
            }
        }
    }

    /** d f / d x at {@link #X}, with a GC and heap churn between the forward and the backward. */
    private static double[] gradAfterGc(Function<NDArray, NDArray> f) {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray x = m.create(X);
            x.setRequiresGradient(true);
            NDArray y = Autograd.withGradMode(true, () -> f.apply(x));
            // churn the heap so a freed direct buffer would be overwritten before the backward reads the scalar
            for (int k = 0; k < 50; k++) {
                java.nio.ByteBuffer.allocateDirect(1 << 16).putDouble(0, 1e30);
            }
            System.gc();
            return Autograd.withGradMode(true, () -> Autograd.grad(y, List.of(x))).get(0).toDoubleArray();
        }
    }

    private static double[] finiteDifference(NDManager m, Function<NDArray, NDArray> f) {
        double h = 1e-6;
        double[] out = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            double[] p = X.clone();
            double[] q = X.clone();
            p[i] += h;
            q[i] -= h;
            out[i] = (f.apply(m.create(p)).getDouble() - f.apply(m.create(q)).getDouble()) / (2 * h);
        }
        return out;
    }
}
