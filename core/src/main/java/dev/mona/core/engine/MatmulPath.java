package dev.mona.core.engine;

import dev.mona.core.BadConfigurationException;

import java.util.Locale;

/**
 * The library that computes the float32 products of linear layers on the CPU. libtorch (2.7.1 on CPU builds, 2.5.1
 * in the {@code cuda} build) hands a float32 {@code mm} to MKL, and MKL picks its kernel by processor vendor: on an
 * AMD processor with AVX-512 it runs its 256-bit Zen kernel ({@code mkl_blas_def_sgemm_kernel_0_zen} in 2.5.1's
 * MKL, whatever {@code MKL_ENABLE_INSTRUCTIONS} or {@code MKL_CBWR} say; seen with {@code perf record}; a vit-tiny
 * train step is as slow with 2.7.1's) unless {@link MklDispatch} lets it pick by instruction set, which it does
 * there by default. oneDNN, built into the same libtorch, picks its kernel by instruction set, and libtorch sends
 * float32 convolutions to it; a linear layer computed as a 1x1 convolution over a channels-last
 * {@code (tokens, in, 1, 1)} view runs oneDNN's AVX-512 kernels forward, in both
 * backward products and in the double backward MoNA's meta-step needs (seen with {@code ONEDNN_VERBOSE=1}:
 * {@code brgconv_1x1:avx512_core}, {@code brg_conv_bwd:avx512_core}, {@code brg_deconv:avx512_core}).
 *
 * <p>That reaches oneDNN's AVX-512 kernels, correct to second order, but it is not faster: by CPU time per product
 * on one thread (a figure the machine's load barely moves), a ViT-Tiny MLP product (2048 x 192 x 768) took 8.3 ms
 * through MKL, 24-29 ms through this convolution, 12-38 ms through the NCHW form of it and 9-11 ms through
 * {@code mkldnn_linear} (which has no double backward); the tokens-as-rows form (one image of T x 1 pixels),
 * as fast as MKL, gets a wrong weight gradient in libtorch's convolution double backward. So {@code auto}, the
 * default, is BLAS; {@code onednn} forces the convolution, for {@code mona bench gemm-floor}'s comparison of the
 * paths. The setting comes from the environment variable {@value #ENV} ({@code auto}, {@code blas} or
 * {@code onednn}) unless a command {@link #select selects} one. Either path gives the same products up to float32
 * rounding; GPU arrays and other data types always take libtorch's own {@code linear} (cuBLAS on a GPU).
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
        /** For logs and provenance, e.g. {@code onednn (onednn: forced)}. */
        public String describe() {
            return path.name().toLowerCase(Locale.ROOT) + " (" + setting + ": " + reason + ")";
        }
    }

    /** The path of this process, resolved on first use and fixed afterwards. */
    public static Choice current() {
        Choice c = choice;
        if (c == null) {
            synchronized (MatmulPath.class) {
                if (choice == null) {
                    choice = resolve(System.getenv(ENV));
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
        choice = resolve(setting);
        return choice;
    }

    /**
     * The path for {@code setting} ({@code auto}, {@code blas}, {@code onednn}; null or blank means {@code auto}).
     *
     * @throws BadConfigurationException for any other setting
     */
    public static Choice resolve(String setting) {
        String s = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "blas" -> new Choice(BLAS, s, "forced");
            case "onednn" -> new Choice(ONEDNN, s, "forced");
            case "auto" -> new Choice(BLAS, s,
                    "oneDNN's float32 convolutions are not faster in libtorch 2.5.1 or 2.7.1");
            default -> throw new BadConfigurationException("matrix-product path '" + setting + "' (" + ENV
                    + " or --matmul) is unknown; choose auto, blas or onednn");
        };
    }
}
