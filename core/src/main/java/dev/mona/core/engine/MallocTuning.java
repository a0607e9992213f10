package dev.mona.core.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * glibc {@code malloc} settings for libtorch's allocation pattern on the CPU. A training step allocates and frees
 * hundreds of activation arrays of a few MB; with glibc's defaults the large ones are {@code mmap}ed and unmapped
 * every step and the freed heap top is returned to the kernel, so each step page-faults its whole working set
 * again (measured: ~4,500 minor faults and 8-10 % of a ViT-Tiny training step on two cores; 1.1 % and 45 faults
 * with these settings). {@link #apply()} calls {@code mallopt} once, before the first tensor:
 * <ul>
 *   <li>{@code M_MMAP_THRESHOLD} = {@value #MMAP_THRESHOLD} bytes (glibc's largest dynamic threshold): arrays up to
 *       32 MiB come from the heap and are reused;</li>
 *   <li>{@code M_TRIM_THRESHOLD} = {@value #TRIM_THRESHOLD} bytes: up to 1 GiB of freed heap stays mapped between
 *       steps (resident memory then reads as the peak working set, as with a caching allocator);</li>
 *   <li>{@code M_ARENA_MAX} = {@value #ARENA_MAX}: threads started after this call share the main heap.</li>
 * </ul>
 * The launchers ({@code ./mona}, the container entry points) set the same values through {@code GLIBC_TUNABLES}
 * before the JVM starts, which is better still: {@code M_ARENA_MAX} then also covers the threads the JVM started
 * first, so every array comes from the one main heap (measured: exact MoNA meta-step 666 -&gt; 623 ms). This call
 * covers the other entry points (tests, an application embedding {@code mona-core}).
 * Skipped when {@code MONA_MALLOC_TUNING=off}, when {@code GLIBC_TUNABLES} already sets a {@code glibc.malloc}
 * tunable (a launcher's or the user's), or off glibc (no {@code mallopt}: musl, macOS, Windows).
 */
public final class MallocTuning {
    private static final Logger LOG = LoggerFactory.getLogger(MallocTuning.class);

    static final int M_TRIM_THRESHOLD = -1;
    static final int M_MMAP_THRESHOLD = -3;
    static final int M_ARENA_MAX = -8;
    /** Bytes; glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit. */
    public static final int MMAP_THRESHOLD = 32 * 1024 * 1024;
    /** Bytes of freed heap kept mapped. */
    public static final int TRIM_THRESHOLD = 1024 * 1024 * 1024;
    public static final int ARENA_MAX = 1;

    /** What {@link #apply()} did. */
    public enum Outcome { APPLIED, DISABLED, ENVIRONMENT, UNSUPPORTED }

    private static Outcome outcome;

    private MallocTuning() {}

    /** The C library's {@code mallopt}. */
    interface LibC extends Library {
        int mallopt(int param, int value);
    }

    /** Applies the settings once per process (later calls return the first outcome). */
    public static synchronized Outcome apply() {
        if (outcome == null) {
            outcome = decide(System.getenv());
            LOG.debug("malloc tuning: {}", outcome);
        }
        return outcome;
    }

    static Outcome decide(Map<String, String> env) {
        String flag = env.getOrDefault("MONA_MALLOC_TUNING", "on").trim().toLowerCase(Locale.ROOT);
        if (flag.equals("off") || flag.equals("false") || flag.equals("0")) {
            return Outcome.DISABLED;
        }
        if (env.getOrDefault("GLIBC_TUNABLES", "").contains("glibc.malloc.")) {
            return Outcome.ENVIRONMENT;
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Outcome.UNSUPPORTED;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            // mallopt returns 1 on success, 0 on error
            boolean ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    & c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
                    & c.mallopt(M_ARENA_MAX, ARENA_MAX) == 1;
            return ok ? Outcome.APPLIED : Outcome.UNSUPPORTED;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Outcome.UNSUPPORTED;
        }
    }
}
