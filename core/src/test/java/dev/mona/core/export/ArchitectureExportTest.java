package dev.mona.core.export;

import ai.djl.Device;

/** {@link ArchitectureExportParity} on the CPU: DJL on the CPU, ONNX Runtime's CPU execution provider. */
class ArchitectureExportTest extends ArchitectureExportParity {
    @Override
    Device device() {
        return Device.cpu();
    }

    @Override
    boolean cuda() {
        return false;
    }
}
