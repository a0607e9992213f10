package dev.mona.core.export;

/**
 * The outcome of an ONNX Runtime versus DJL comparison on held-out inputs (recorded in the export manifest).
 *
 * @param maxAbsDiff  largest absolute difference over all outputs of all samples
 * @param meanAbsDiff mean absolute difference
 * @param tolerance   the bound that was applied
 * @param samples     number of held-out samples compared
 * @param provider    ONNX Runtime execution provider: {@code CPU} or {@code CUDA}
 * @param djlDevice   the DJL device of the reference forward, e.g. {@code cpu()} or {@code gpu(0)}
 */
public record ParityReport(double maxAbsDiff, double meanAbsDiff, double tolerance, int samples, String provider,
                           String djlDevice) {
    /** Whether the difference is within the tolerance. */
    public boolean passed() {
        return maxAbsDiff <= tolerance;
    }
}
