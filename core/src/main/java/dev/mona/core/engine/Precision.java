package dev.mona.core.engine;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import dev.mona.core.BadConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The number format of the current thread's linear-layer products ({@link Products#linear}); the run key
 * {@code precision}. {@link #FLOAT32}, the default outside any scope, computes everything in float32.
 * {@link #BF16} rounds both operands of each linear layer's product to bfloat16 and lets the product run on bf16
 * hardware (oneDNN's {@code avx512_core_bf16} / AMX kernels on the CPU, tensor cores on a GPU); the product is
 * accumulated in float32 by those kernels and its bf16 result is widened back to float32 before the bias is added.
 * Everything else stays float32: the master weights and their gradients (the casts' backward widens them), the
 * optimiser state, LayerNorm, softmax, attention's batched products and the losses. Fine-tuning and the probe open
 * a scope for the run's setting; MoNA's meta-step never does, so its exact meta-gradient is float32.
 *
 * <p>Where the hardware has no bf16 products the results are the same (the rounding happens in the casts) but
 * slower than float32: a CPU without AVX512_BF16 or AMX runs oneDNN's emulation or libtorch's reference kernel, and
 * a first use logs a warning. A GPU without bf16 tensor cores (compute capability below 8.0) is refused with a
 * {@link BadConfigurationException} by {@link #requireSupported}, as libtorch would emulate it at a fraction of
 * float32's speed.
 */
public enum Precision {
    /** Every product in float32. */
    FLOAT32,
    /** Linear-layer products from bf16-rounded operands; float32 master weights, gradients and reductions. */
    BF16;

    private static final Logger LOG = LoggerFactory.getLogger(Precision.class);
    private static final ThreadLocal<Precision> CURRENT = ThreadLocal.withInitial(() -> FLOAT32);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** /proc/cpuinfo flags of bf16 products: x86 AVX512_BF16 and AMX, ARM's BF16 extension. */
    private static final Set<String> CPU_BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16", "bf16");

    /** The precision of the current thread's linear-layer products. */
    public static Precision current() {
        return CURRENT.get();
    }

    /** The key's value, {@code float32} or {@code bf16}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Opens a scope in which this thread's linear-layer products use {@code precision}; closing it restores the
     * enclosing setting. Checks the device first ({@link #requireSupported}).
     */
    public static ComputeMode.Scope scope(Precision precision, Device device) {
        if (precision == BF16) {
            requireSupported(device);
        }
        Precision previous = CURRENT.get();
        CURRENT.set(precision);
        return () -> CURRENT.set(previous);
    }

    /**
     * Refuses bf16 on a GPU without bf16 tensor cores; on a CPU without bf16 products logs once that the run will
     * be slower than float32 (the results are the same).
     *
     * @throws BadConfigurationException on a GPU of compute capability below 8.0
     */
    public static void requireSupported(Device device) {
        if (Device.Type.GPU.equals(device.getDeviceType())) {
            int major = computeCapabilityMajor(device);
            if (major > 0 && major < 8) {
                throw new BadConfigurationException("precision=bf16 needs a GPU with bf16 tensor cores (compute "
                        + "capability 8.0 or newer, e.g. A100, H100); " + device + " has "
                        + CudaUtils.getComputeCapability(device.getDeviceId()) + "; use precision=float32");
            }
        } else if (!cpuHasBf16() && WARNED.compareAndSet(false, true)) {
            LOG.warn("precision=bf16 on a CPU without AVX512_BF16 or AMX (no such flag in /proc/cpuinfo): the bf16 "
                    + "products are emulated and slower than float32; the results are the same");
        }
    }

    /**
     * What the device offers for bf16 products, for provenance: the CPU's flags ({@code avx512_bf16},
     * {@code none (emulated)}) or the GPU's compute capability.
     */
    public static String hardware(Device device) {
        if (Device.Type.GPU.equals(device.getDeviceType())) {
            return "compute capability " + CudaUtils.getComputeCapability(device.getDeviceId());
        }
        Set<String> flags = cpuFlags();
        return flags == null ? "unknown (no /proc/cpuinfo)"
                : CPU_BF16_FLAGS.stream().filter(flags::contains).sorted().reduce((a, b) -> a + " " + b)
                .orElse("none (emulated)");
    }

    /** True when /proc/cpuinfo lists a bf16 product flag (or cannot be read: then nothing is claimed). */
    static boolean cpuHasBf16() {
        Set<String> flags = cpuFlags();
        return flags == null || flags.stream().anyMatch(CPU_BF16_FLAGS::contains);
    }

    private static Set<String> cpuFlags() {
        CpuInfo cpu = CpuInfo.read();
        return cpu == null ? null : cpu.flags();
    }

    private static int computeCapabilityMajor(Device device) {
        String cc = CudaUtils.getComputeCapability(device.getDeviceId());
        // DJL writes major and minor digits together ("80", "90", "75")
        try {
            return cc == null || cc.length() < 2 ? 0 : Integer.parseInt(cc.substring(0, cc.length() - 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
