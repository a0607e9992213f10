package dev.mona.core.bench;

import java.util.Locale;

/**
 * Figures of the fine-tune step benchmark.
 *
 * @param size        workload size name
 * @param device      device the step ran on ({@code cpu()}, {@code gpu(0)})
 * @param threads     intra-op threads of libtorch
 * @param batch       samples per step
 * @param msPerStep   median wall time of one step (forward, backward, optimiser) in milliseconds
 * @param samplesPerS samples per second at that median
 * @param peakRssMb   peak resident memory of the process (VmHWM) in MiB
 * @param steps       timed steps (after warm-up)
 * @param precision   the linear-layer products' precision ({@code float32} or {@code bf16})
 */
public record TrainStepResult(String size, String device, int threads, int batch, double msPerStep,
                              double samplesPerS, double peakRssMb, int steps, String precision) {
    /** One JSON object with snake_case keys, for {@code mona bench train-step --format json}. */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"size\":\"%s\",\"device\":\"%s\",\"threads\":%d,\"batch\":%d,"
                        + "\"ms_per_step\":%.2f,\"samples_per_s\":%.2f,\"peak_rss_mb\":%.1f,\"steps\":%d,"
                        + "\"precision\":\"%s\"}", size, device, threads, batch, msPerStep, samplesPerS, peakRssMb,
                steps, precision);
    }
}
