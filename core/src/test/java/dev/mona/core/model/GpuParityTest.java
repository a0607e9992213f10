package dev.mona.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The tiny models give the same outputs on the GPU as on the CPU (float32). Skipped without a GPU; run with
 * {@code mvn -pl core test -Pcuda -Dmona.test.excludedGroups= -Dmona.test.groups=gpu -Dtest=GpuParityTest}.
 */
@Tag("gpu")
class GpuParityTest {
    @Test
    void tinyModelsAgreeAcrossDevices() {
        Assumptions.assumeTrue(Engines.pytorch().getGpuCount() > 0, "no GPU visible");
        check(Architectures.dense(SwinConfig.tiny(), new long[] {2, 20, 20}, 1), new Shape(2, 2, 20, 20));
        check(Architectures.classifier(VitConfig.vitTiny(), new long[] {3, 32, 32}, 10), new Shape(4, 3, 32, 32));
        check(Architectures.dense(BertConfig.tinyRoberta(), new long[] {3, 40}, 2), new Shape(2, 3, 40));
    }

    private static void check(TransferModel model, Shape inputShape) {
        try (NDManager cpu = Engines.newManager(Device.cpu()); NDManager gpu = Engines.newManager(Device.gpu())) {
            Params p = Architectures.initialise(model, null, true, cpu, DataType.FLOAT32, new SplittableRandom(1));
            NDArray x = cpu.randomNormal(inputShape);
            Map<String, NDArray> onGpu = new LinkedHashMap<>();
            p.asMap().forEach((k, v) -> onGpu.put(k, v.toDevice(Device.gpu(), true)));
            NDArray xg = x.toDevice(Device.gpu(), true);
            xg.attach(gpu);
            float[] expected = model.forward(p, x).toFloatArray();
            float[] actual = model.forward(Params.of(onGpu), xg).toDevice(Device.cpu(), false).toFloatArray();
            assertArrayEquals(expected, actual, 1e-3f, model.encoder().getClass().getSimpleName());
        }
    }
}
