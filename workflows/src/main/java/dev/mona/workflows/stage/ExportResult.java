package dev.mona.workflows.stage;

/**
 * ONNX export output.
 *
 * @param onnxKey    artifact key of the ONNX file
 * @param maxAbsDiff largest difference between ONNX Runtime and the trained model on validation inputs ({@code null} without an export)
 * @param exporter   what computed it
 * @param cached     true when reused from the stage cache
 */
public record ExportResult(String onnxKey, Double maxAbsDiff, String exporter, boolean cached) {
}
