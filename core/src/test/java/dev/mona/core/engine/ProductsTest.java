package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.BadConfigurationException;
import dev.mona.core.train.Autograd;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The linear layer on both {@link MatmulPath}s against float64 products computed from the same values: forward,
 * the first-order gradients and the double backward of {@code s = ||dx||^2 + ||dW||^2}, whose hand-derived
 * gradients are {@code ds/dx = 2 v (v^T x)} and {@code ds/dW = 2 v^T (v W)} for the seed {@code v}.
 */
class ProductsTest {
    @Test
    void settingsResolve() {
        assertEquals(MatmulPath.BLAS, MatmulPath.resolve("auto").path());
        assertEquals(MatmulPath.BLAS, MatmulPath.resolve(null).path());
        assertEquals(MatmulPath.BLAS, MatmulPath.resolve(" ").path());
        assertEquals(MatmulPath.ONEDNN, MatmulPath.resolve(" OneDNN ").path());
        assertEquals(MatmulPath.BLAS, MatmulPath.resolve("blas").path());
        assertEquals("onednn (onednn: forced)", MatmulPath.resolve("onednn").describe());
        BadConfigurationException e = assertThrows(BadConfigurationException.class, () -> MatmulPath.resolve("mkl"));
        assertTrue(e.getMessage().contains("'mkl'") && e.getMessage().contains("auto, blas or onednn"),
                e.getMessage());
    }

    @Test
    void bothPathsMatchFloat64ProductsToSecondOrder() {
        for (MatmulPath path : MatmulPath.values()) {
            check(path, new Shape(40, 24), true);
            check(path, new Shape(2, 20, 24), true);
            check(path, new Shape(40, 24), false);
        }
    }

    private static void check(MatmulPath path, Shape xShape, boolean withBias) {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            m.getEngine().setRandomSeed(7);
            NDArray x = m.randomNormal(xShape);
            NDArray w = m.randomNormal(new Shape(16, 24));
            NDArray b = withBias ? m.randomNormal(new Shape(16)) : null;
            long tokens = xShape.size() / 24;
            NDArray v = m.randomNormal(new Shape(tokens, 16));
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            NDArray y = Autograd.withGradMode(true, () -> Products.linear(x, w, b, path));
            NDList g = Autograd.withGradMode(true, () -> Autograd.grad(List.of(y), List.of(x, w),
                    List.of(v.reshape(y.getShape())), true, true));
            NDArray s = Autograd.withGradMode(true, () -> g.get(0).mul(g.get(0)).sum()
                    .add(g.get(1).mul(g.get(1)).sum()));
            NDList gg = Autograd.grad(s, List.of(x, w));

            // the independent computation, float64
            NDArray x2 = x.stopGradient().reshape(tokens, 24).toType(DataType.FLOAT64, true);
            NDArray w2 = w.stopGradient().toType(DataType.FLOAT64, true);
            NDArray v2 = v.toType(DataType.FLOAT64, true);
            NDArray y2 = x2.matMul(w2.transpose());
            if (b != null) {
                y2 = y2.add(b.toType(DataType.FLOAT64, true));
            }
            NDArray dx = v2.matMul(w2);
            NDArray dw = v2.transpose().matMul(x2);
            String at = path + " " + xShape + (withBias ? " with bias" : "");
            assertClose(y2, y.reshape(tokens, 16), at + " forward");
            assertClose(dx, g.get(0).reshape(tokens, 24), at + " dx");
            assertClose(dw, g.get(1), at + " dW");
            assertClose(v2.matMul(dw).mul(2), gg.get(0).reshape(tokens, 24), at + " d2x");
            assertClose(v2.transpose().matMul(dx).mul(2), gg.get(1), at + " d2W");
        }
    }

    /** Within float32 rounding of sums of 24-40 terms, relative to the largest entry. */
    private static void assertClose(NDArray expected, NDArray actual, String what) {
        double scale = expected.abs().max().getDouble();
        double err = expected.sub(actual.toType(DataType.FLOAT64, true)).abs().max().getDouble();
        assertTrue(err <= 1e-5 * scale, what + ": max error " + err + " at scale " + scale);
    }
}
