package dev.mona.core.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>With freed heap kept mapped, resident memory still crept up over a long run: the heap in use between steps
 * stays flat (about 105 MB at ViT-Tiny size), but the free space inside the one heap grows in 15.7 MB jumps as
 * transient arrays of varying sizes no longer fit the holes left among longer-lived allocations (measured with
 * {@code mallinfo2}: free 301 -&gt; 320 -&gt; 336 MB at steps 50, 100, 200; the JVM's own native memory flat under
 * {@code -XX:NativeMemoryTracking}). Those holes are never handed back, since the heap top above them is in use.
 * So while the tuning is in force (applied here or by a launcher) a daemon thread calls {@code malloc_trim(0)} every
 * {@value #TRIM_PERIOD_SECONDS} s, which returns the whole free pages inside the holes to the kernel: the next
 * step faults back in only the pages it uses (estimated from the fault cost above: ~300 MB of pages, about a
 * quarter of a second once a minute, under 1 %), and resident memory stays at the working set instead of growing
 * with the holes (measured: RSS 2538 -&gt; 2541 MB between steps 50 and 200, against 2635 -&gt; 2667 MB without).
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
    /** Seconds between two {@code malloc_trim(0)} calls. */
    public static final int TRIM_PERIOD_SECONDS = 60;

    /** What {@link #apply()} did. */
    public enum Outcome { APPLIED, DISABLED, ENVIRONMENT, UNSUPPORTED }

    private static Outcome outcome;

    private MallocTuning() {}

    /** The C library's {@code mallopt}. */
    interface LibC extends Library {
        int mallopt(int param, int value);

        int malloc_trim(long pad);
    }

    /** Applies the settings once per process (later calls return the first outcome). */
    public static synchronized Outcome apply() {
        if (outcome == null) {
            outcome = decide(System.getenv());
            LOG.debug("malloc tuning: {}", outcome);
            if (outcome == Outcome.APPLIED || outcome == Outcome.ENVIRONMENT) {
                startTrimming();
            }
        }
        return outcome;
    }

    /**
     * Returns the free pages inside glibc's heaps to the kernel now ({@code malloc_trim(0)}); false off glibc or
     * when nothing could be returned.
     */
    public static boolean trim() {
        try {
            return Native.load("c", LibC.class).malloc_trim(0) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    private static void startTrimming() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mona-malloc-trim");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(MallocTuning::trim, TRIM_PERIOD_SECONDS, TRIM_PERIOD_SECONDS, TimeUnit.SECONDS);
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
