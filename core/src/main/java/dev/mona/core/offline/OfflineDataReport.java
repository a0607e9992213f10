package dev.mona.core.offline;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.TaskData;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A benchmark of the offline tasks: for each task the sample counts per split, the input and target shapes, the
 * class balance (classification) and the time to build the data (wall-clock and process CPU time, so figures
 * taken on a busy machine can be read back to an idle one). Run: {@code java ... dev.mona.core.offline.OfflineDataReport
 * [task ...]}; the CLI may expose the same figures.
 */
public final class OfflineDataReport {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineDataReport.class);

    private OfflineDataReport() {}

    /**
     * Figures of one task.
     *
     * @param task        catalogue name
     * @param train       training samples
     * @param validation  validation samples
     * @param test        test samples
     * @param inputShape  shape of one input
     * @param targetShape shape of one target
     * @param classCounts samples per class over all splits (empty for dense tasks)
     * @param wallSeconds wall-clock time to build the data
     * @param cpuSeconds  process CPU time spent building it (all threads)
     */
    public record Figures(String task, int train, int validation, int test, long[] inputShape, long[] targetShape,
                          int[] classCounts, double wallSeconds, double cpuSeconds) {
        @Override
        public String toString() {
            return String.format("%-32s train %6d  val %5d  test %6d  input %-13s target %-13s %s  %.1f s wall, %.1f s CPU",
                    task, train, validation, test, Arrays.toString(inputShape), Arrays.toString(targetShape),
                    classCounts.length == 0 ? "dense" : "classes " + Arrays.toString(classCounts), wallSeconds,
                    cpuSeconds);
        }
    }

    /** Builds task {@code name} with its default sizes (seed 0) and measures it. */
    public static Figures measure(String name, OfflineData data) {
        TaskSpec spec = OfflineTasks.spec(name);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        TaskData d = OfflineTasks.load(name, data, 0);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        int[] counts = new int[0];
        if (spec.kind() == TaskKind.CLASSIFICATION) {
            counts = new int[spec.classes()];
            for (DataSplit s : List.of(d.train(), d.validation(), d.test())) {
                int[] c = Splits.classCounts(s.y().data(), spec.classes());
                for (int i = 0; i < c.length; i++) {
                    counts[i] += c[i];
                }
            }
        }
        return new Figures(name, d.train().size(), d.validation().size(), d.test().size(),
                d.train().x().sampleShape(), d.train().y().sampleShape(), counts, wall, cpu);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** Measures the named tasks (all offline tasks when none is named) and logs one line each. */
    public static void main(String[] args) {
        List<String> names = new ArrayList<>(List.of(args));
        if (names.isEmpty()) {
            OfflineTasks.specs().forEach(s -> names.add(s.name()));
        }
        OfflineData data = OfflineData.fromEnvironment();
        for (String n : names) {
            LOG.info("{}", measure(n, data));
        }
    }
}
