package dev.mona.activities.stage;

/**
 * Export stage: ONNX export of the fine-tuned model with core's {@code OnnxExporter}, checked against ONNX Runtime
 * on validation inputs.
 */
public final class ExportStage {
    private ExportStage() {}

    public static final String IMPLEMENTATION = "core:onnx-exporter";
    /** Largest accepted |ONNX Runtime - DJL| on the held-out inputs. */
    public static final double TOLERANCE = 1e-4;
}
