package dev.mona.core.engine;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import dev.mona.core.BadConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the oneMKL inside libtorch picks its float32 matrix-product kernels on the CPU. MKL checks the processor's
 * vendor before its instruction sets: on an AMD processor with AVX-512 (Zen 4, Zen 5) it runs its 256-bit Zen
 * kernel ({@code mkl_blas_def_sgemm_kernel_0_zen}), about half of what the cores can do (measured on the 2-vCPU
 * Zen 5 build machine, 2048-square products: 131-172 GFLOP/s, where an AVX-512 kernel reaches about 360). MKL
 * asks an exported function of its own, {@code mkl_serv_intel_cpu_true}, which libtorch binds lazily; a one-line
 * library that defines it to answer 1, loaded into the global symbol scope before the engine's first product, makes
 * MKL choose by instruction set alone: {@code perf record} then shows {@code mkl_blas_avx512_sgemm_kernel_0}.
 * The library is compiled from the C source in this jar ({@code native/mona_mkl_dispatch.c}) with the machine's C
 * compiler ({@code $CC}, else {@code cc}) once into {@code ~/.cache/mona/native} (named by the source's digest), and
 * loaded with {@code RTLD_GLOBAL} by {@link #apply()}, which {@link Engines#pytorch()} calls before libtorch starts.
 *
 * <p>The setting comes from the environment variable {@value #ENV}:
 * <ul>
 *   <li>{@code auto} (default): by instruction set on an x86-64 Linux processor that has AVX-512F and is not Intel's
 *       (where MKL's own choice already is by instruction set), else MKL's own choice; without a C compiler it
 *       falls back to MKL's own choice and says so in the log, the manifest and {@code mona bench};</li>
 *   <li>{@code features}: by instruction set wherever the library can be built and loaded (an error otherwise);</li>
 *   <li>{@code vendor}: MKL's own choice.</li>
 * </ul>
 * Either way the products are the same up to float32 rounding (different kernels block the sums differently); the
 * choice is recorded in every manifest's hardware ({@code mklDispatch}). GPU products (cuBLAS) are not affected.
 */
public final class MklDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(MklDispatch.class);

    /** Environment variable that selects the dispatch. */
    public static final String ENV = "MONA_MKL_DISPATCH";
    static final String SOURCE = "/native/mona_mkl_dispatch.c";
    /** glibc's dlopen flags: resolve lazily, and add the library's symbols to the global scope. */
    private static final int RTLD_LAZY_GLOBAL = 0x001 | 0x100;

    /** How MKL picks its kernels. */
    public enum Mode {
        /** By the processor's instruction sets (the dispatch library is loaded). */
        FEATURES,
        /** MKL's own choice, vendor first. */
        VENDOR
    }

    /** A resolved setting: the mode and why it was taken. */
    public record Choice(Mode mode, String setting, String reason) {
        /** For logs and provenance, e.g. {@code features (auto: AuthenticAMD with avx512f)}. */
        public String describe() {
            return mode.name().toLowerCase(Locale.ROOT) + " (" + setting + ": " + reason + ")";
        }
    }

    private static Choice choice;
    /** Held for the life of the process: the library must never be unloaded. */
    private static NativeLibrary loaded;

    private MklDispatch() {}

    /**
     * Resolves {@value #ENV} and, for {@link Mode#FEATURES}, builds and loads the dispatch library; once per process
     * (later calls return the first choice). Must run before libtorch's first product: MKL keeps the kernels it
     * chose first.
     *
     * @throws BadConfigurationException for an unknown setting, or {@code features} where the library cannot be
     *                                   built or loaded
     */
    public static synchronized Choice apply() {
        if (choice == null) {
            Choice wanted = decide(System.getenv(ENV), CpuInfo.read(), System.getProperty("os.name", ""),
                    System.getProperty("os.arch", ""));
            choice = wanted.mode() == Mode.FEATURES ? load(wanted) : wanted;
            LOG.debug("MKL dispatch: {}", choice.describe());
        }
        return choice;
    }

    /** The choice of this process ({@link #apply()}). */
    public static Choice current() {
        return apply();
    }

    /**
     * The dispatch {@code setting} asks for on this processor, before anything is built.
     *
     * @param cpu the processor's {@code /proc/cpuinfo} reading, null when there is none
     * @throws BadConfigurationException for a setting other than auto, features or vendor
     */
    static Choice decide(String setting, CpuInfo cpu, String os, String arch) {
        String s = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        boolean x86Linux = os.toLowerCase(Locale.ROOT).contains("linux")
                && (arch.equals("amd64") || arch.equals("x86_64"));
        return switch (s) {
            case "vendor" -> new Choice(Mode.VENDOR, s, "forced");
            case "features" -> {
                if (!x86Linux) {
                    throw new BadConfigurationException("MKL dispatch 'features' (" + ENV + ") needs x86-64 Linux, "
                            + "this is " + os + " " + arch + "; set " + ENV + "=auto or vendor");
                }
                yield new Choice(Mode.FEATURES, s, "forced");
            }
            case "auto" -> {
                if (!x86Linux || cpu == null) {
                    yield new Choice(Mode.VENDOR, s, "not x86-64 Linux");
                }
                if (cpu.vendor().equals("GenuineIntel")) {
                    yield new Choice(Mode.VENDOR, s, "an Intel processor: MKL already picks by instruction set");
                }
                if (!cpu.flags().contains("avx512f")) {
                    yield new Choice(Mode.VENDOR, s, cpu.vendor() + " without avx512f: MKL's own kernel is its best");
                }
                yield new Choice(Mode.FEATURES, s, cpu.vendor() + " with avx512f");
            }
            default -> throw new BadConfigurationException("MKL dispatch '" + setting + "' (" + ENV
                    + ") is unknown; choose auto, features or vendor");
        };
    }

    /** Builds (once per source digest) and loads the dispatch library; the fallback of {@code auto} on failure. */
    private static Choice load(Choice wanted) {
        try {
            Path lib = build(cacheDir(), compiler());
            loaded = NativeLibrary.getInstance(lib.toString(), Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY_GLOBAL));
            return wanted;
        } catch (IOException | UnsatisfiedLinkError e) {
            String why = "cannot build or load the MKL dispatch library: " + e.getMessage();
            if (wanted.setting().equals("features")) {
                throw new BadConfigurationException(why + "; install a C compiler (Debian: apt-get install gcc) "
                        + "or set " + ENV + "=vendor");
            }
            LOG.warn("{}; MKL keeps its vendor-first kernels (about half the float32 speed on this processor). "
                    + "Install a C compiler (Debian: apt-get install gcc), or set {}=vendor to accept that", why, ENV);
            return new Choice(Mode.VENDOR, wanted.setting(), "no dispatch library (" + e.getMessage() + ")");
        }
    }

    /**
     * Compiles the library into the directory {@code args[0]} (default: the cache {@link #apply()} loads it from,
     * {@code ~/.cache/mona/native}) with {@code $CC} or {@code cc}, under the name {@link #build} looks for. The
     * container images run it in their build stage, since their runtime stages have no C compiler, and copy the
     * result into the mona user's cache.
     */
    public static void main(String[] args) throws IOException {
        build(args.length == 0 ? cacheDir() : Path.of(args[0]), compiler());
    }

    private static Path cacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "mona", "native");
    }

    private static String compiler() {
        return System.getenv().getOrDefault("CC", "cc");
    }

    /**
     * The dispatch library in {@code dir}, compiled from {@value #SOURCE} with the C compiler {@code cc} when no
     * library of this source's digest is there yet (written under a temporary name and renamed, so concurrent
     * processes never load half a file).
     */
    static Path build(Path dir, String cc) throws IOException {
        byte[] source;
        try (InputStream in = MklDispatch.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IOException(SOURCE + " is missing from the class path");
            }
            source = in.readAllBytes();
        }
        Path lib = dir.resolve("libmona_mkl_dispatch-" + digest(source) + ".so");
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        Files.createDirectories(dir);
        String tag = ProcessHandle.current().pid() + "-" + Thread.currentThread().getId();
        Path c = dir.resolve("mona_mkl_dispatch-" + tag + ".c");
        Path tmp = dir.resolve(lib.getFileName() + "." + tag + ".tmp");
        try {
            Files.write(c, source);
            Process p = new ProcessBuilder(cc, "-O2", "-shared", "-fPIC", "-o", tmp.toString(), c.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("'" + cc + "' failed: " + (out.isEmpty() ? "no output" : out));
            }
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return lib;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling " + SOURCE, e);
        } finally {
            Files.deleteIfExists(c);
            Files.deleteIfExists(tmp);
        }
    }

    private static String digest(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
