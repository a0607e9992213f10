package dev.mona.activities.stage;

/**
 * Export stage: ONNX export of the fine-tuned model. Not available until {@code dev.mona.core.export} lands; the
 * stage then records that no ONNX file was written instead of pretending one was.
 */
public final class ExportStage {
    private ExportStage() {}

    public static final String IMPLEMENTATION = "unavailable: dev.mona.core.export not on this build";

    public static boolean available() {
        return false;
    }
}
