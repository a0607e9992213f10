package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EnginesTest {
    @Test
    void pytorchStartsOfflineAndMultiplies() {
        assertEquals("PyTorch", Engines.pytorch().getEngineName());
        try (NDManager m = Engines.newManager(Device.cpu())) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = m.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
            // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray());
        }
    }
}
