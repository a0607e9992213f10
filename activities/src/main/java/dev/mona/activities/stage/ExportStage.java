package dev.mona.activities.stage;

/**
 * Export stage: ONNX export of the fine-tuned model with core's {@code OnnxExporter}, checked against ONNX Runtime
 * on validation inputs. The interim model of the generated tasks has no exporter: the stage then records that no
 * ONNX file was written instead of pretending one was.
 */
public final class ExportStage {
    private ExportStage() {}

    public static final String IMPLEMENTATION = "core:onnx-exporter";
    public static final String INTERIM_IMPLEMENTATION = "unavailable: the interim model has no ONNX exporter";
    /** Largest accepted |ONNX Runtime - DJL| on the held-out inputs. */
    public static final double TOLERANCE = 1e-4;
}
