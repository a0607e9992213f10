package dev.mona.core.export;

import ai.djl.Device;
import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link ArchitectureExportParity} on a GPU: DJL on {@code gpu(0)}, ONNX Runtime's CUDA execution provider.
 * Needs the {@code cuda} build; skipped elsewhere:
 * {@code NVIDIA_TF32_OVERRIDE=0 mvn -B -Pcuda -pl core test -Dtest='ArchitectureExportGpuTest'
 * -Dmona.test.excludedGroups= -Dmona.test.groups=gpu}. {@code NVIDIA_TF32_OVERRIDE=0} keeps libtorch's cuDNN
 * convolutions in full float32 (PyTorch allows TF32 there by default; ONNX Runtime's side is set by the session).
 */
@Tag("gpu")
class ArchitectureExportGpuTest extends ArchitectureExportParity {
    // per test, so that each one is reported as skipped without a GPU
    @BeforeEach
    void requireGpu() {
        assumeTrue(Engines.pytorch().getGpuCount() > 0, "no GPU visible to libtorch (the cuda profile is needed)");
        assumeTrue(OnnxRuntimeSession.cudaAvailable(), "this ONNX Runtime build has no CUDA execution provider");
    }

    @Override
    Device device() {
        return Device.gpu();
    }

    @Override
    boolean cuda() {
        return true;
    }
}
