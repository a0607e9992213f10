package dev.mona.activities;

import java.util.concurrent.TimeUnit;

/**
 * GPUs visible to this process, without starting the engine: {@code MONA_GPUS}, else the entries of
 * {@code CUDA_VISIBLE_DEVICES}, else the lines of {@code nvidia-smi -L}, else 0.
 */
public final class GpuCount {
    private GpuCount() {}

    public static int detect() {
        String forced = System.getenv("MONA_GPUS");
        if (forced != null && !forced.isBlank()) {
            return Integer.parseInt(forced.trim());
        }
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        if (visible != null) {
            return visible.isBlank() ? 0 : visible.split(",").length;
        }
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return (int) out.lines().filter(l -> l.startsWith("GPU ")).count();
            }
        } catch (Exception ignored) {
            // no nvidia-smi: no GPU
        }
        return 0;
    }
}
