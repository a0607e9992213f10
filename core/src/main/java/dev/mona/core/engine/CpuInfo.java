package dev.mona.core.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What {@code /proc/cpuinfo} says of the first processor: its vendor ({@code vendor_id}: {@code GenuineIntel},
 * {@code AuthenticAMD}; empty on ARM) and its feature flags ({@code flags} on x86, {@code Features} on ARM).
 *
 * @param vendor the vendor string, empty when the file names none
 * @param flags  the feature flags
 */
record CpuInfo(String vendor, Set<String> flags) {
    private static final Path FILE = Path.of("/proc/cpuinfo");

    /** This machine's reading, or null when {@code /proc/cpuinfo} cannot be read (not Linux). */
    static CpuInfo read() {
        if (!Files.isReadable(FILE)) {
            return null;
        }
        try (var lines = Files.lines(FILE)) {
            return parse(lines.limit(64).toList());
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** The first processor's vendor and flags among {@code lines} of {@code /proc/cpuinfo}. */
    static CpuInfo parse(List<String> lines) {
        String vendor = value(lines, "vendor_id");
        String flags = value(lines, "flags");
        if (flags.isEmpty()) {
            flags = value(lines, "Features");
        }
        return new CpuInfo(vendor, flags.isEmpty() ? Set.of() : Set.of(flags.split("\\s+")));
    }

    private static String value(List<String> lines, String key) {
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equals(key)) {
                return l.substring(colon + 1).trim();
            }
        }
        return "";
    }
}
