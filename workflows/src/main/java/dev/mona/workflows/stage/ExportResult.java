package dev.mona.workflows.stage;

/**
 * ONNX export output.
 *
 * @param onnxKey    artifact key of the ONNX file
 * @param maxAbsDiff largest difference between ONNX Runtime and the trained model on validation inputs
 * @param exporter   what computed it
 * @param cached     true when reused from the stage cache
 */
public record ExportResult(String onnxKey, double maxAbsDiff, String exporter, boolean cached) {
}
