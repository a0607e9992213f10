package dev.mona.core.export;

/**
 * The exported ONNX model disagrees with the DJL model it was exported from by more than the tolerance: the
 * export must not be published. Not worth retrying: the same weights give the same difference.
 */
public final class ExportParityException extends OnnxExportException {
    private final ParityReport report;

    public ExportParityException(ParityReport report) {
        super(String.format("ONNX export parity failed: max |ONNX Runtime (%s) - DJL| = %.3g over %d held-out "
                        + "samples exceeds the tolerance %.1g; the exporter and the model disagree (check that the "
                        + "model's architecture is one the exporter supports unchanged)",
                report.provider(), report.maxAbsDiff(), report.samples(), report.tolerance()));
        this.report = report;
    }

    public ParityReport report() {
        return report;
    }
}
