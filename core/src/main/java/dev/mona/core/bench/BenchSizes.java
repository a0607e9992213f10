package dev.mona.core.bench;

import java.util.List;

/** The benchmark sizes by name. */
public final class BenchSizes {
    private BenchSizes() {}

    /** Names accepted by {@link #workload(String)}. */
    public static List<String> names() {
        return List.of();
    }

    /** The workload of size {@code size}; a typed error naming the known sizes otherwise. */
    public static BenchWorkload workload(String size) {
        throw new IllegalArgumentException("unknown benchmark size '" + size + "'; known sizes: " + names());
    }
}
