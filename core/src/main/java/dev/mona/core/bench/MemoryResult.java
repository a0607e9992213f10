package dev.mona.core.bench;

import java.util.Locale;

/**
 * Resident memory of the fine-tune loop early and late in a run: flat memory means no per-step leak.
 *
 * @param size        workload size name
 * @param earlySteps  steps before the first reading (e.g. 50)
 * @param earlyRssMb  resident memory (VmRSS) after {@code earlySteps}
 * @param lateSteps   steps before the second reading (e.g. 500)
 * @param lateRssMb   resident memory after {@code lateSteps}
 */
public record MemoryResult(String size, int earlySteps, double earlyRssMb, int lateSteps, double lateRssMb) {
    /** Relative growth from the early to the late reading, in percent. */
    public double growthPercent() {
        return 100.0 * (lateRssMb - earlyRssMb) / earlyRssMb;
    }

    public String toJson() {
        return String.format(Locale.ROOT, "{\"size\":\"%s\",\"early_steps\":%d,\"early_rss_mb\":%.1f,"
                        + "\"late_steps\":%d,\"late_rss_mb\":%.1f,\"growth_percent\":%.2f}",
                size, earlySteps, earlyRssMb, lateSteps, lateRssMb, growthPercent());
    }
}
