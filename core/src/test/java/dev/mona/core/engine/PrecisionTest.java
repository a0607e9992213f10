package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.train.Autograd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bf16 linear layer against an independent computation: float64 products of the operands rounded to bf16 in
 * Java (round to nearest even), whose result is rounded to bf16 once more (the kernel accumulates in float32 and
 * stores bf16). Forward, the gradients of x and W (from the bf16-rounded seed, as autocast does) and the float32
 * bias gradient; every gradient reaching a float32 array is float32.
 */
class PrecisionTest {
    private static final int IN = 96;
    private static final int OUT = 40;

    @Test
    void scopesNestAndRestore() {
        assertEquals(Precision.FLOAT32, Precision.current());
        try (var outer = Precision.scope(Precision.BF16, Device.cpu())) {
            assertEquals(Precision.BF16, Precision.current());
            try (var inner = Precision.scope(Precision.FLOAT32, Device.cpu())) {
                assertEquals(Precision.FLOAT32, Precision.current());
            }
            assertEquals(Precision.BF16, Precision.current());
        }
        assertEquals(Precision.FLOAT32, Precision.current());
        assertEquals("bf16", Precision.BF16.key());
    }

    @Test
    void bf16LinearMatchesFloat64ProductsOfBf16RoundedOperands() {
        check(Device.cpu(), new Shape(50, IN), true);
        check(Device.cpu(), new Shape(2, 25, IN), true);
        check(Device.cpu(), new Shape(50, IN), false);
    }

    /** The same on tensor cores (cuBLAS bf16); {@code infra/gpu-check.sh} runs the gpu-tagged tests. */
    @Test
    @Tag("gpu")
    void bf16LinearOnTheGpuMatchesTheSameReference() {
        Assumptions.assumeTrue(Engines.pytorch().getGpuCount() > 0, "no GPU visible");
        check(Device.gpu(), new Shape(2, 25, IN), true);
    }

    private static void check(Device device, Shape xShape, boolean withBias) {
        try (NDManager m = Engines.newManager(device)) {
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(xShape);
            NDArray w = m.randomNormal(new Shape(OUT, IN));
            NDArray b = withBias ? m.randomNormal(new Shape(OUT)) : null;
            int tokens = (int) (xShape.size() / IN);
            NDArray v = m.randomNormal(new Shape(tokens, OUT));
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            if (b != null) {
                b.setRequiresGradient(true);
            }
            NDArray y;
            try (var bf16 = Precision.scope(Precision.BF16, device)) {
                y = Autograd.withGradMode(true, () -> Products.linear(x, w, b));
            }
            List<NDArray> leaves = b == null ? List.of(x, w) : List.of(x, w, b);
            NDList g = Autograd.grad(List.of(y), leaves, List.of(v.reshape(y.getShape())), false, false);
            assertEquals(DataType.FLOAT32, y.getDataType());
            g.forEach(a -> assertEquals(DataType.FLOAT32, a.getDataType(), "a gradient of a float32 array"));

            double[][] xs = matrix(x.reshape(tokens, IN), tokens, IN);
            double[][] ws = matrix(w, OUT, IN);
            double[][] vs = matrix(v, tokens, OUT);
            double[][] xr = round(xs);
            double[][] wr = round(ws);
            double[][] vr = round(vs);
            String at = xShape + (withBias ? " with bias" : "");
            // forward: y - b is the bf16-rounded product of the rounded operands
            double[][] yg = matrix(b == null ? y.reshape(tokens, OUT) : y.reshape(tokens, OUT).sub(b), tokens, OUT);
            double[][] exact = times(xs, transpose(ws));
            double[][] ref = times(xr, transpose(wr));
            assertBf16Close(round(ref), yg, xr, transpose(wr), at + " forward");
            // the mode is in effect: the error against the unrounded float64 product is bf16's, not float32's
            assertTrue(maxRelative(exact, yg) > 1e-3, at + ": bf16 rounding is visible");
            // dx = v W, dW = v^T x, both from the bf16-rounded seed and operands
            assertBf16Close(round(times(vr, wr)), matrix(g.get(0).reshape(tokens, IN), tokens, IN), vr, wr,
                    at + " dx");
            assertBf16Close(round(times(transpose(vr), xr)), matrix(g.get(1), OUT, IN), transpose(vr), xr,
                    at + " dW");
            if (b != null) {
                // the bias is added in float32: its gradient is the float32 column sum of the unrounded seed
                float[] db = g.get(2).toFloatArray();
                for (int j = 0; j < OUT; j++) {
                    double s = 0;
                    for (int t = 0; t < tokens; t++) {
                        s += vs[t][j];
                    }
                    assertEquals(s, db[j], 1e-5 * tokens, at + " db");
                }
            }
        }
    }

    /** bf16's half ulp (2^-9) of the reference, plus float32 accumulation over the row: 1e-5 of sum |a||b|. */
    private static void assertBf16Close(double[][] ref, double[][] got, double[][] a, double[][] b, String what) {
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[0].length; j++) {
                double mag = 0;
                for (int k = 0; k < b.length; k++) {
                    mag += Math.abs(a[i][k] * b[k][j]);
                }
                double tol = Math.abs(ref[i][j]) * 0x1p-8 + 1e-5 * mag;
                assertEquals(ref[i][j], got[i][j], tol, what + " at " + i + "," + j);
            }
        }
    }

    /** Round to nearest even on the upper 16 bits of the float32 value: what {@code .to(torch.bfloat16)} does. */
    static double bf16(double value) {
        int bits = Float.floatToRawIntBits((float) value);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    @Test
    void roundingToBf16KeepsEightSignificantBits() {
        assertEquals(1.0, bf16(1.0 + 0x1p-9)); // a tie rounds to even
        assertEquals(1.0 + 0x1p-7, bf16(1.0 + 0x1p-7 + 0x1p-9)); // the other tie, to even
        assertEquals(1.0 + 0x1p-7, bf16(1.0 + 0x1p-8 + 0x1p-12));
        assertEquals(-3.0, bf16(-3.0));
    }

    private static double[][] round(double[][] a) {
        double[][] out = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = bf16(a[i][j]);
            }
        }
        return out;
    }

    private static double maxRelative(double[][] ref, double[][] got) {
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[0].length; j++) {
                worst = Math.max(worst, Math.abs(ref[i][j] - got[i][j]) / (Math.abs(ref[i][j]) + 1e-3));
            }
        }
        return worst;
    }

    private static double[][] matrix(NDArray a, int rows, int cols) {
        float[] f = a.toFloatArray();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = f[i * cols + j];
            }
        }
        return out;
    }

    private static double[][] transpose(double[][] a) {
        double[][] out = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[j][i] = a[i][j];
            }
        }
        return out;
    }

    private static double[][] times(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }
}
