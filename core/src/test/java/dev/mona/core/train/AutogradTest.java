package dev.mona.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.engine.Engines;
import dev.mona.core.engine.GraphScalars;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AutogradTest {
    @Test
    void firstOrderGradientOfSumOfSquaresIsTwiceX() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray x = m.create(new double[] {1, -2, 3.5});
            x.setRequiresGradient(true);
            NDList g = Autograd.withGradMode(true, () -> Autograd.grad(x.mul(x).sum(), List.of(x)));
            assertArrayEquals(new double[] {2, -4, 7}, g.get(0).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void secondOrderThroughCreatedGraph() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            // f = sum(x^3 * y); df/dx = 3 x^2 y; d/dy [ (df/dx) . v ] = 3 x^2 v (elementwise), by hand
            NDArray x = m.create(new double[] {1, 2});
            NDArray y = m.create(new double[] {0.5, -1});
            NDArray v = m.create(new double[] {3, 4});
            x.setRequiresGradient(true);
            y.setRequiresGradient(true);
            double[] got = Autograd.withGradMode(true, () -> {
                NDArray f = x.pow(3).mul(y).sum();
                NDArray gx = Autograd.grad(List.of(f), List.of(x), null, true, true).get(0);
                NDArray mixed = Autograd.grad(List.of(gx), List.of(y), List.of(v), false, false).get(0);
                return mixed.toDoubleArray();
            });
            assertArrayEquals(new double[] {3 * 1 * 3, 3 * 4 * 4}, got, 1e-12);
        }
    }

    @Test
    void unusedInputsGetZerosAndNamesAreRestored() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray x = m.create(new float[] {1, 2});
            NDArray unused = m.create(new float[] {5, 6, 7});
            x.setRequiresGradient(true);
            unused.setRequiresGradient(true);
            x.setName("mine");
            NDList g = Autograd.withGradMode(true, () -> Autograd.grad(x.sum(), List.of(x, unused)));
            assertArrayEquals(new float[] {1, 1}, g.get(0).toFloatArray());
            assertArrayEquals(new float[] {0, 0, 0}, g.get(1).toFloatArray());
            // an output outside the graph contributes nothing
            NDArray constant = m.create(new float[] {9, 9});
            NDList h = Autograd.withGradMode(true, () -> Autograd.grad(List.of(x.mul(x).sum(), constant), List.of(x),
                    null, false, false));
            assertArrayEquals(new float[] {2, 4}, h.get(0).toFloatArray());
            assertEquals(DataType.FLOAT32, g.get(1).getDataType());
            assertEquals("mine", x.getName());
        }
    }

    @Test
    void scalarConstantsSurviveGarbageCollectionBetweenForwardAndBackward() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray x = m.create(new double[] {1, 2, 3});
            x.setRequiresGradient(true);
            for (int r = 0; r < 5; r++) {
                NDArray y = Autograd.withGradMode(true, () -> GraphScalars.div(GraphScalars.mul(x, 3.0), 0.5).sum());
                // churn the heap so a freed direct buffer would be reused before the backward reads the scalar
                for (int k = 0; k < 50; k++) {
                    java.nio.ByteBuffer.allocateDirect(1 << 16).putDouble(0, 1e30);
                }
                System.gc();
                NDList g = Autograd.withGradMode(true, () -> Autograd.grad(y, List.of(x)));
                assertArrayEquals(new double[] {6, 6, 6}, g.get(0).toDoubleArray(), 1e-12);
            }
        }
    }
}
