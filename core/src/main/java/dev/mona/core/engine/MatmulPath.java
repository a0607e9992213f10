package dev.mona.core.engine;

import dev.mona.core.BadConfigurationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The library that computes the float32 products of linear layers on the CPU. libtorch 2.5.1 hands a float32
 * {@code mm} to MKL, and MKL picks its kernel by processor vendor: on an AMD processor with AVX-512 it runs its
 * 256-bit Zen kernel ({@code mkl_blas_def_sgemm_kernel_0_zen}, whatever {@code MKL_ENABLE_INSTRUCTIONS} or
 * {@code MKL_CBWR} say), about half of what the processor can do. oneDNN, built into the same libtorch, picks its
 * kernel by instruction set, and libtorch sends float32 convolutions to it; a linear layer computed as a 1x1
 * convolution over a channels-last {@code (tokens, in, 1, 1)} view runs oneDNN's AVX-512 kernels forward, in both
 * backward products and in the double backward MoNA's meta-step needs (ENGINE-NOTES.md, "Products").
 *
 * <p>{@code auto} takes oneDNN on an x86-64 processor with AVX-512 that is not Intel's (where MKL already runs its
 * AVX-512 kernel and needs no layout copies), BLAS elsewhere (ARM, older x86, Intel). The setting comes from the
 * environment variable {@value #ENV} ({@code auto}, the default, {@code blas} or {@code onednn}) unless a command
 * {@link #select selects} one. Either path gives the same products up to float32 rounding; GPU arrays and other
 * data types always take libtorch's own {@code linear} (cuBLAS on a GPU).
 */
public enum MatmulPath {
    /** libtorch's {@code linear} ({@code addmm}): MKL on x86-64 CPUs, cuBLAS on GPUs. */
    BLAS,
    /** A 1x1 convolution, which libtorch computes with oneDNN on the CPU. */
    ONEDNN;

    /** Environment variable that selects the path. */
    public static final String ENV = "MONA_MATMUL";

    private static volatile Choice choice;

    /** A resolved setting: the path and why it was taken. */
    public record Choice(MatmulPath path, String setting, String reason) {
        /** For logs and provenance, e.g. {@code onednn (auto: AuthenticAMD with avx512f)}. */
        public String describe() {
            return path.name().toLowerCase(Locale.ROOT) + " (" + setting + ": " + reason + ")";
        }
    }

    /** The processor as {@code /proc/cpuinfo} describes it (vendor and feature flags of the first CPU). */
    public record Processor(String arch, String vendor, Set<String> flags) {
        /** Reads {@code /proc/cpuinfo}; an empty description off Linux or when it cannot be read. */
        public static Processor current() {
            String arch = System.getProperty("os.arch", "");
            try {
                return parse(arch, Files.readString(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException e) {
                return new Processor(arch, "", Set.of());
            }
        }

        static Processor parse(String arch, String cpuinfo) {
            String vendor = "";
            Set<String> flags = new TreeSet<>();
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("vendor_id") && vendor.isEmpty()) {
                    vendor = value;
                } else if (key.equals("flags") && flags.isEmpty()) {
                    flags.addAll(java.util.Arrays.asList(value.split("\\s+")));
                }
            }
            return new Processor(arch, vendor, flags);
        }

        boolean x86() {
            return arch.equals("amd64") || arch.equals("x86_64");
        }
    }

    /** The path of this process, resolved on first use and fixed afterwards. */
    public static Choice current() {
        Choice c = choice;
        if (c == null) {
            synchronized (MatmulPath.class) {
                if (choice == null) {
                    choice = resolve(System.getenv(ENV), Processor.current());
                }
                c = choice;
            }
        }
        return c;
    }

    /**
     * Makes {@code setting} the path of this process from now on (a command-line flag such as
     * {@code mona bench --matmul}); arrays already computed keep theirs.
     *
     * @throws BadConfigurationException for an unknown setting (the process keeps its path)
     */
    public static synchronized Choice select(String setting) {
        choice = resolve(setting, Processor.current());
        return choice;
    }

    /**
     * The path for {@code setting} ({@code auto}, {@code blas}, {@code onednn}; null or blank means {@code auto}) on
     * {@code cpu}.
     *
     * @throws BadConfigurationException for any other setting
     */
    public static Choice resolve(String setting, Processor cpu) {
        String s = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "blas" -> new Choice(BLAS, s, "forced");
            case "onednn" -> new Choice(ONEDNN, s, "forced");
            case "auto" -> {
                if (!cpu.x86() || !cpu.flags().contains("avx512f")) {
                    yield new Choice(BLAS, s, "no AVX-512 on " + (cpu.arch().isEmpty() ? "this processor" : cpu.arch()));
                }
                if (cpu.vendor().equals("GenuineIntel")) {
                    yield new Choice(BLAS, s, "GenuineIntel: MKL runs its AVX-512 kernels");
                }
                yield new Choice(ONEDNN, s, (cpu.vendor().isEmpty() ? "unknown vendor" : cpu.vendor())
                        + " with avx512f: MKL would run its AVX2 kernels");
            }
            default -> throw new BadConfigurationException("matrix-product path '" + setting + "' (" + ENV
                    + " or --matmul) is unknown; choose auto, blas or onednn");
        };
    }
}
