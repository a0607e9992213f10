package dev.mona.core.analysis;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.engine.Engines;
import dev.mona.core.method.AlignmentUniformity;
import dev.mona.core.method.UniformityPairs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlignmentUniformityTest {
    // four unit vectors: e1, e1, e2, -e1 with classes 0, 0, 1, 1
    static final double[][] Z = {{1, 0}, {1, 0}, {0, 1}, {-1, 0}};
    static final int[] Y = {0, 0, 1, 1};

    @Test
    void handComputedValues() {
        // squared distances: d(0,1)=0, d(0,2)=2, d(0,3)=4, d(1,2)=2, d(1,3)=4, d(2,3)=2
        // same-class pairs: (0,1) -> 0 and (2,3) -> 2: L_align = (0 + 2) / 2 = 1
        assertEquals(1.0, AlignmentUniformity.alignment(Z, Y), 1e-12);
        // all 6 pairs, t = 2: log((e^0 + 2e^-4 + 2e^-8 + e^-4... ) / 6) by hand:
        double all = Math.log((Math.exp(0) + Math.exp(-4) + Math.exp(-8) + Math.exp(-4) + Math.exp(-8)
                + Math.exp(-4)) / 6);
        assertEquals(all, AlignmentUniformity.uniformity(Z, Y, 2, UniformityPairs.ALL), 1e-12);
        // different-class pairs (0,2),(0,3),(1,2),(1,3): distances 2, 4, 2, 4
        double diff = Math.log((2 * Math.exp(-4) + 2 * Math.exp(-8)) / 4);
        assertEquals(diff, AlignmentUniformity.uniformity(Z, Y, 2, UniformityPairs.DIFFERENT_CLASS), 1e-12);
        // features are normalised first: scaling rows changes nothing
        double[][] scaled = {{3, 0}, {0.5, 0}, {0, 7}, {-2, 0}};
        assertEquals(1.0, AlignmentUniformity.alignment(scaled, Y), 1e-12);
    }

    @Test
    void engineLossesEqualTheHandValues() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray z = AlignmentUniformity.normalize(m.create(new double[] {3, 0, 0.5, 0, 0, 7, -2, 0}, new Shape(4, 2)));
            assertEquals(1.0, AlignmentUniformity.alignment(z, Y).getDouble(), 1e-12);
            assertEquals(AlignmentUniformity.uniformity(Z, Y, 2, UniformityPairs.ALL),
                    AlignmentUniformity.uniformity(z, Y, 2, UniformityPairs.ALL).getDouble(), 1e-12);
            assertEquals(AlignmentUniformity.uniformity(Z, Y, 2, UniformityPairs.DIFFERENT_CLASS),
                    AlignmentUniformity.uniformity(z, Y, 2, UniformityPairs.DIFFERENT_CLASS).getDouble(), 1e-12);
        }
    }
}
