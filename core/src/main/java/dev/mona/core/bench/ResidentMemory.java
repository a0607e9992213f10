package dev.mona.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from {@code /proc/self/status} (Linux); -1 where unavailable. */
public final class ResidentMemory {
    private ResidentMemory() {}

    /** Current resident set size in MiB ({@code VmRSS}). */
    public static double currentMb() {
        return field("VmRSS:");
    }

    /** Peak resident set size in MiB ({@code VmHWM}). */
    public static double peakMb() {
        return field("VmHWM:");
    }

    private static double field(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String kb = line.substring(key.length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
