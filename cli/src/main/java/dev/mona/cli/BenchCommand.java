package dev.mona.cli;

import ai.djl.ndarray.NDManager;
import dev.mona.core.BadConfigurationException;
import dev.mona.core.bench.BenchSizes;
import dev.mona.core.bench.GemmFloor;
import dev.mona.core.bench.MemoryResult;
import dev.mona.core.bench.MetaStepBench;
import dev.mona.core.bench.TrainStepBench;
import dev.mona.core.bench.TrainStepResult;
import dev.mona.core.engine.ComputeMode;
import dev.mona.core.engine.Engines;
import dev.mona.core.engine.MatmulPath;
import dev.mona.core.engine.Precision;
import dev.mona.core.method.HvpMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;

@Command(name = "bench", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Benchmarks that print figures (timings live here, never in tests):",
                "  train-step   one fine-tune step (forward, backward, optimiser): ms_per_step, samples_per_s, "
                        + "peak_rss_mb; --size vit-tiny|swin-base|roberta-base",
                "  train-memory resident memory after --early and --late fine-tune steps (flat = no leak)",
                "  meta-step    one exact MoNA meta-step against one fine-tune step of the same model and batch: "
                        + "ms_per_step, peak_rss_mb, ratio_to_train_step; --size vit-tiny|swin-base|swin-tiny, "
                        + "--hvp exact|fd",
                "  gemm-floor   the matrix products of the vit-tiny train-step and exact meta-step replayed alone at "
                        + "the same shapes (the floor under both figures and their ratio), the machine's best float32 "
                        + "GFLOP/s over every matrix-product path, and the fraction of it both steps reach; bf16 "
                        + "GFLOP/s of the same square products"})
final class BenchCommand extends Verb {
    @Parameters(index = "0", paramLabel = "WHAT", description = "train-step, train-memory, meta-step or gemm-floor.")
    String what;

    @Option(names = "--size", defaultValue = "vit-tiny", description = "Model size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--steps", defaultValue = "20", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--hvp", defaultValue = "exact", description = "meta-step: exact (double backward) or fd "
            + "(central-difference Hessian-vector product) (default: ${DEFAULT-VALUE}).")
    String hvp;

    @Option(names = "--source", paramLabel = "KxM", defaultValue = "", description = "meta-step: source batch of K "
            + "classes x M samples (default: the size's, 4x8 for vit-tiny).")
    String source;

    @Option(names = "--early", defaultValue = "50", description = "train-memory: steps before the first reading.")
    int early;

    @Option(names = "--late", defaultValue = "500", description = "train-memory: steps before the second reading.")
    int late;

    @Option(names = "--matmul", paramLabel = "PATH", description = "Float32 linear-layer products: auto or blas "
            + "(libtorch's BLAS) or onednn (1x1 convolutions through oneDNN); the same as MONA_MATMUL (default: "
            + "MONA_MATMUL, else auto).")
    String matmul;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "float32", description = "train-step and "
            + "train-memory: float32 or bf16 linear-layer products, as the run key precision (default: "
            + "${DEFAULT-VALUE}; meta-step stays float32, gemm-floor reports both).")
    String precision;

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new CliException(ExitCodes.BAD_INPUT, "--steps must be at least 1");
        }
        try {
            // an unknown MONA_MATMUL or --matmul fails here as bad input, not inside the first product
            if (matmul != null) {
                MatmulPath.select(matmul);
            } else {
                MatmulPath.current();
            }
        } catch (BadConfigurationException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        }
        Precision p = precision();
        if (p != Precision.FLOAT32 && !what.equals("train-step") && !what.equals("train-memory")) {
            throw new CliException(ExitCodes.BAD_INPUT, "--precision " + p.key() + " applies to train-step and "
                    + "train-memory only: " + what + " is float32 (MoNA's meta-step is exact in float32; gemm-floor "
                    + "reports the bf16 products beside the float32 ones)");
        }
        run(p);
        return ExitCodes.OK;
    }

    private Precision precision() {
        for (Precision p : Precision.values()) {
            if (p.key().equals(precision.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new CliException(ExitCodes.BAD_INPUT, "unknown --precision '" + precision + "'; choose float32 or bf16");
    }

    private void run(Precision products) {
        switch (what) {
            case "train-step" -> {
                requireSize(BenchSizes.names());
                TrainStepResult r;
                try (var scope = scope(products)) {
                    r = TrainStepBench.run(size, steps);
                }
                print(r.toJson(), String.format(Locale.ROOT,
                        "train-step %s on %s (%d threads, batch %d, %s): %.1f ms/step, %.1f samples/s, peak RSS %.0f "
                                + "MB over %d steps", r.size(), r.device(), r.threads(), r.batch(), r.precision(),
                        r.msPerStep(), r.samplesPerS(), r.peakRssMb(), steps));
            }
            case "train-memory" -> {
                requireSize(BenchSizes.names());
                if (early < 1 || late <= early) {
                    throw new CliException(ExitCodes.BAD_INPUT, "need 1 <= --early < --late, got --early " + early
                            + " --late " + late);
                }
                MemoryResult r;
                try (var scope = scope(products)) {
                    r = TrainStepBench.memory(size, early, late);
                }
                print(r.toJson(), String.format(Locale.ROOT, "train-memory %s: RSS %.1f MB after %d steps, %.1f MB "
                        + "after %d steps (%+.2f%%)", r.size(), r.earlyRssMb(), r.earlySteps(), r.lateRssMb(),
                        r.lateSteps(), r.growthPercent()));
            }
            case "meta-step" -> {
                requireSize(MetaStepBench.sizes());
                HvpMode mode = switch (hvp) {
                    case "exact" -> HvpMode.EXACT;
                    case "fd" -> HvpMode.FD;
                    default -> throw new CliException(ExitCodes.BAD_INPUT, "unknown --hvp '" + hvp
                            + "'; choose exact or fd");
                };
                int[] km = sourceBatch();
                MetaStepBench.Result r;
                try {
                    r = MetaStepBench.run(size, steps, mode, km[0], km[1]);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
                }
                print(r.toJson(), String.format(Locale.ROOT, "meta-step %s (%s): %.1f ms/meta-step, %.1f ms/train-step,"
                                + " ratio %.2f, peak RSS %.0f MB over %d steps", r.size(), r.hvp(), r.msPerStep(),
                        r.msPerTrainStep(), r.ratioToTrainStep(), r.peakRssMb(), r.steps()));
            }
            case "gemm-floor" -> {
                if (!size.equals("vit-tiny")) {
                    throw new CliException(ExitCodes.BAD_INPUT, "gemm-floor is defined for --size vit-tiny only, got '"
                            + size + "'");
                }
                GemmFloor.Result r;
                try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
                    r = GemmFloor.vitTiny(m, steps);
                }
                StringBuilder peaks = new StringBuilder();
                r.peakGflops().forEach((p, g) -> peaks.append(String.format(Locale.ROOT, " %s %.0f",
                        p.name().toLowerCase(Locale.ROOT), g)));
                print(r.toJson(), String.format(Locale.ROOT, "gemm-floor %s on %s: train-step products %.1f ms (%.2f "
                                + "GFLOP, %.0f GFLOP/s), exact meta-step products %.1f ms (%.2f GFLOP), ratio %.2f;"
                                + " float32 %dx%d GFLOP/s:%s; train step %.1f ms (%.0f%% of the best), meta-step "
                                + "%.1f ms (%.0f%%); bf16 %dx%d GFLOP/s: %.0f", r.size(), r.path(), r.trainMs(),
                        r.trainGflop(),
                        r.trainGflop() / r.trainMs() * 1e3, r.metaMs(), r.metaGflop(), r.ratio(),
                        GemmFloor.PEAK_SIDE, GemmFloor.PEAK_SIDE, peaks, r.trainStepMs(),
                        100 * r.trainStepPeakFraction(), r.metaStepMs(), 100 * r.metaStepPeakFraction(),
                        GemmFloor.PEAK_SIDE, GemmFloor.PEAK_SIDE, r.bf16Gflops()));
            }
            default -> throw new CliException(ExitCodes.BAD_INPUT, "unknown bench '" + what
                    + "'; choose train-step, train-memory, meta-step or gemm-floor");
        }
    }

    /** This thread's products in {@code p} (a GPU without bf16 tensor cores is bad input). */
    private static ComputeMode.Scope scope(Precision p) {
        try {
            return Precision.scope(p, Engines.defaultDevice());
        } catch (BadConfigurationException e) {
            throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        }
    }

    /** {@code --source KxM} as {K, M}; {0, 0} when not given. */
    private int[] sourceBatch() {
        if (source.isBlank()) {
            return new int[] {0, 0};
        }
        String[] parts = source.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int k = Integer.parseInt(parts[0].trim());
                int m = Integer.parseInt(parts[1].trim());
                if (k >= 2 && m >= 2) {
                    return new int[] {k, m};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(ExitCodes.BAD_INPUT, "--source '" + source + "' must be KxM with K classes and M "
                + "samples a class, both at least 2 (for example 4x8)");
    }

    private void requireSize(List<String> known) {
        if (!known.contains(size)) {
            throw new CliException(ExitCodes.BAD_INPUT, "unknown bench size '" + size + "' for " + what
                    + "; choose one of " + known);
        }
    }

    private void print(String json, String text) {
        out().println(json() ? json : text);
        out().flush();
    }
}
