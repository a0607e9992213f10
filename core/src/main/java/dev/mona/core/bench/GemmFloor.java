package dev.mona.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.engine.MatmulPath;
import dev.mona.core.engine.MklDispatch;
import dev.mona.core.engine.Precision;
import dev.mona.core.engine.Products;
import dev.mona.core.method.HvpMode;
import dev.mona.core.model.VitConfig;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The matrix products of a ViT fine-tune step and of an exact MoNA meta-step, timed alone at the same shapes with
 * the same library: about the time no implementation on this engine and machine can go below (everything else in
 * a step, normalisation, activations, softmax, copies, the optimiser, comes on top).
 *
 * <p>Counted per linear layer {@code (T tokens, in -> out)}: forward {@code (T, in, out)}; backward
 * {@code dx = dy W (T, out, in)} and {@code dW = dy^T x (out, T, in)}; the double backward of the exact
 * meta-gradient needs four products per linear layer: the adjoints of {@code W-bar = dy^T x} with respect to
 * {@code dy} ({@code x V^T}) and {@code x} ({@code dy V}), of {@code x-bar = dy W} with respect to {@code dy}, and of
 * the forward product with respect to {@code x}. Attention products per block: 2 forward, 4 backward, 12 in the
 * double backward (two for each of the six). So at equal target and source batches a meta-step has 10 forward
 * units of products (target forward 1, inner backward 2, source forward 1, source backward 2, double backward 4)
 * against 3 for a fine-tune step: the products alone put the ratio at about 3.3.
 *
 * <p>The products of linear layers are replayed on the {@link MatmulPath} the process uses (attention's batched
 * products always on libtorch's BLAS, as in the model). {@link #peak} measures what the machine can do instead: large
 * square float32 products through every path available on the device; the best of them is the peak against which
 * the measured train and meta-steps are put.
 */
public final class GemmFloor {
    private GemmFloor() {}

    /** {@code count} products {@code (batch x) (m x k) @ (k x n)}. */
    public record Gemm(long batch, long m, long k, long n, int count) {
        double flops() {
            return 2.0 * batch * m * k * n * count;
        }
    }

    /** Side of the square float32 products {@link #peak} times. */
    public static final int PEAK_SIDE = 2048;

    /**
     * Figures of one run.
     *
     * @param path         the matrix-product path in use ({@link MatmulPath.Choice#describe()}) and how MKL picks
     *                     its kernels ({@link MklDispatch.Choice#describe()})
     * @param trainMs      the fine-tune step's products, ms
     * @param metaMs       the exact meta-step's products, ms
     * @param ratio        {@code metaMs / trainMs}
     * @param trainGflop   floating-point work of the fine-tune step's products, GFLOP
     * @param metaGflop    the same for the meta-step
     * @param peakGflops   GFLOP/s of {@value #PEAK_SIDE}-square float32 products on each available path
     * @param trainStepMs  a measured fine-tune step (forward, backward, AdamW) of the same model and batch, ms
     * @param metaStepMs   a measured exact meta-step, interleaved with the fine-tune steps, ms
     * @param bf16Gflops   GFLOP/s of the same square products in {@link Precision#BF16} (not part of the float32
     *                     best: {@code precision=bf16} changes the results)
     */
    public record Result(String size, String path, double trainMs, double metaMs, double ratio, double trainGflop,
                         double metaGflop, Map<MatmulPath, Double> peakGflops, double trainStepMs,
                         double metaStepMs, double bf16Gflops) {
        /** The best float32 GFLOP/s over the paths. */
        public double bestGflops() {
            return peakGflops.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        /** The fraction of {@link #bestGflops()} the fine-tune step's products reach inside the measured step. */
        public double trainStepPeakFraction() {
            return trainGflop / trainStepMs * 1e3 / bestGflops();
        }

        /** The same for the exact meta-step. */
        public double metaStepPeakFraction() {
            return metaGflop / metaStepMs * 1e3 / bestGflops();
        }

        public String toJson() {
            StringBuilder peaks = new StringBuilder();
            peakGflops.forEach((p, g) -> peaks.append(peaks.length() == 0 ? "" : ",")
                    .append(String.format(Locale.ROOT, "\"%s\":%.1f", p.name().toLowerCase(Locale.ROOT), g)));
            return String.format(Locale.ROOT, "{\"size\":\"%s\",\"matmul_path\":\"%s\",\"train_step_gemm_ms\":%.1f,"
                            + "\"meta_step_gemm_ms\":%.1f,\"gemm_ratio\":%.3f,\"train_step_gflop\":%.2f,"
                            + "\"meta_step_gflop\":%.2f,\"train_step_gflops_per_s\":%.1f,\"peak_gflops_per_s\":{%s},"
                            + "\"best_gflops_per_s\":%.1f,\"train_step_ms\":%.1f,\"meta_step_ms\":%.1f,"
                            + "\"train_step_peak_fraction\":%.3f,\"meta_step_peak_fraction\":%.3f,"
                            + "\"bf16_gflops_per_s\":%.1f}", size, path, trainMs, metaMs, ratio, trainGflop, metaGflop,
                    trainGflop / trainMs * 1e3, peaks, bestGflops(), trainStepMs, metaStepMs, trainStepPeakFraction(),
                    metaStepPeakFraction(), bf16Gflops);
        }
    }

    /** Linear layers of a ViT block, {@code (in, out)}. */
    private static List<long[]> blockLinears(VitConfig c) {
        long w = c.width();
        return List.of(new long[] {w, 3 * w}, new long[] {w, w}, new long[] {w, c.mlpHidden()},
                new long[] {c.mlpHidden(), w});
    }

    /** Products of the forward pass of the blocks on {@code batch} samples of {@code tokens} tokens. */
    private static void blocksForward(List<Gemm> out, VitConfig c, long batch, long tokens) {
        long t = batch * tokens;
        long g = batch * c.heads();
        long d = c.width() / c.heads();
        for (int b = 0; b < c.depth(); b++) {
            blockLinears(c).forEach(l -> out.add(new Gemm(1, t, l[0], l[1], 1)));
            out.add(new Gemm(g, tokens, d, tokens, 1));
            out.add(new Gemm(g, tokens, tokens, d, 1));
        }
    }

    /** Products of the backward pass of the blocks (input and weight gradients). */
    private static void blocksBackward(List<Gemm> out, VitConfig c, long batch, long tokens) {
        long t = batch * tokens;
        long g = batch * c.heads();
        long d = c.width() / c.heads();
        for (int b = 0; b < c.depth(); b++) {
            for (long[] l : blockLinears(c)) {
                out.add(new Gemm(1, t, l[1], l[0], 1));
                out.add(new Gemm(1, l[1], t, l[0], 1));
            }
            out.add(new Gemm(g, tokens, tokens, d, 3));
            out.add(new Gemm(g, tokens, d, tokens, 1));
        }
    }

    /** Target forward and backward through the predictor and the blocks (no embedder weight gradient). */
    private static void targetPass(List<Gemm> out, VitConfig c, long batch, long tokens, long patchInputs,
                                   long classes) {
        out.add(new Gemm(1, batch * tokens, patchInputs, c.width(), 1));
        blocksForward(out, c, batch, tokens);
        out.add(new Gemm(1, batch, c.width(), classes, 1));
        out.add(new Gemm(1, batch, classes, c.width(), 1));
        out.add(new Gemm(1, classes, batch, c.width(), 1));
        blocksBackward(out, c, batch, tokens);
    }

    /** The fine-tune step of a classifier with a patch embedder ({@code patchInputs} values a patch). */
    public static List<Gemm> trainStep(VitConfig c, long batch, long tokens, long patchInputs, long classes) {
        List<Gemm> out = new ArrayList<>();
        targetPass(out, c, batch, tokens, patchInputs, classes);
        out.add(new Gemm(1, c.width(), batch * tokens, patchInputs, 1));
        return out;
    }

    /** The exact MoNA meta-step (see the class comment) with {@code sourceBatch} source samples. */
    public static List<Gemm> metaStep(VitConfig c, long batch, long sourceBatch, long tokens, long patchInputs,
                                      long classes) {
        List<Gemm> out = new ArrayList<>();
        long t = batch * tokens;
        // target forward and inner backward (create_graph) for the encoder and predictor
        targetPass(out, c, batch, tokens, patchInputs, classes);
        // source forward through the frozen source embedding and the stepped encoder, and its backward
        out.add(new Gemm(1, sourceBatch * tokens, patchInputs, c.width(), 1));
        blocksForward(out, c, sourceBatch, tokens);
        blocksBackward(out, c, sourceBatch, tokens);
        // double backward to the embedder
        long g = batch * c.heads();
        long d = c.width() / c.heads();
        for (int b = 0; b < c.depth(); b++) {
            for (long[] l : blockLinears(c)) {
                out.add(new Gemm(1, t, l[0], l[1], 2));
                out.add(new Gemm(1, t, l[1], l[0], 2));
            }
            out.add(new Gemm(g, tokens, tokens, d, 8));
            out.add(new Gemm(g, tokens, d, tokens, 4));
        }
        out.add(new Gemm(1, batch, classes, c.width(), 2));
        out.add(new Gemm(1, c.width(), t, patchInputs, 1));
        return out;
    }

    /**
     * The products' time, ms: each distinct shape is timed {@code repeats} times in a row (warm caches, after two
     * untimed runs) and its median multiplied by how often the step runs it. Back to back, the same list measured
     * ~30 % more here (operands fall out of the caches between shapes, as they also do in a real step), so this is a
     * lower bound rather than a prediction.
     */
    public static double millis(List<Gemm> gemms, NDManager manager, int repeats) {
        return millis(gemms, manager, repeats, MatmulPath.current().path());
    }

    /** As {@link #millis(List, NDManager, int)} with the linear-layer products on {@code path}. */
    public static double millis(List<Gemm> gemms, NDManager manager, int repeats, MatmulPath path) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, Gemm> shapes = new LinkedHashMap<>();
        for (Gemm g : gemms) {
            String key = g.batch() + "x" + g.m() + "x" + g.k() + "x" + g.n();
            counts.computeIfAbsent(key, k -> new int[1])[0] += g.count();
            shapes.putIfAbsent(key, g);
        }
        double total = 0;
        for (Map.Entry<String, Gemm> e : shapes.entrySet()) {
            Gemm g = e.getValue();
            try (NDManager m = manager.newSubManager()) {
                NDArray a = g.batch() == 1 ? m.randomNormal(new Shape(g.m(), g.k()))
                        : m.randomNormal(new Shape(g.batch(), g.m(), g.k()));
                // a linear layer's weight is (out, in): the product is a W^T
                NDArray b = g.batch() == 1 ? m.randomNormal(new Shape(g.n(), g.k()))
                        : m.randomNormal(new Shape(g.batch(), g.k(), g.n()));
                double median = medianMs(repeats, () -> g.batch() == 1 ? Products.linear(a, b, null, path)
                        : a.batchMatMul(b));
                total += median * counts.get(e.getKey())[0];
            }
        }
        return total;
    }

    /** Median ms of {@code product} over {@code repeats} runs after two untimed ones. */
    private static double medianMs(int repeats, Supplier<NDArray> product) {
        double[] ms = new double[repeats];
        for (int r = -2; r < repeats; r++) {
            long t0 = System.nanoTime();
            product.get().close();
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return Median.of(ms);
    }

    /**
     * GFLOP/s of {@value #PEAK_SIDE}-square float32 products {@code a W^T} on each path available on the manager's
     * device (oneDNN on the CPU only), median of {@code repeats}.
     */
    public static Map<MatmulPath, Double> peak(NDManager manager, int repeats) {
        Map<MatmulPath, Double> out = new EnumMap<>(MatmulPath.class);
        boolean cpu = Device.Type.CPU.equals(manager.getDevice().getDeviceType());
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(PEAK_SIDE, PEAK_SIDE));
            NDArray w = m.randomNormal(new Shape(PEAK_SIDE, PEAK_SIDE));
            for (MatmulPath p : MatmulPath.values()) {
                if (p == MatmulPath.ONEDNN && !cpu) {
                    continue;
                }
                double ms = medianMs(repeats, () -> Products.linear(a, w, null, p));
                out.put(p, 2.0 * PEAK_SIDE * PEAK_SIDE * PEAK_SIDE / ms / 1e6);
            }
        }
        return out;
    }

    /**
     * GFLOP/s of {@value #PEAK_SIDE}-square products {@code a W^T} in {@link Precision#BF16} (casts included), median
     * of {@code repeats}.
     */
    public static double peakBf16(NDManager manager, int repeats) {
        try (NDManager m = manager.newSubManager();
             var bf16 = Precision.scope(Precision.BF16, manager.getDevice())) {
            NDArray a = m.randomNormal(new Shape(PEAK_SIDE, PEAK_SIDE));
            NDArray w = m.randomNormal(new Shape(PEAK_SIDE, PEAK_SIDE));
            double ms = medianMs(repeats, () -> Products.linear(a, w, null));
            return 2.0 * PEAK_SIDE * PEAK_SIDE * PEAK_SIDE / ms / 1e6;
        }
    }

    /** GFLOP of {@code gemms}. */
    public static double gflop(List<Gemm> gemms) {
        return gemms.stream().mapToDouble(Gemm::flops).sum() / 1e9;
    }

    /**
     * The {@code vit-tiny} bench size (ViT depth 4, width 192, 3 heads, MLP 768; 32 x 32 RGB in 64 tokens of 4 x 4
     * patches; target and source batch 32; 10 classes), the shapes of {@code mona bench train-step} and
     * {@code meta-step}.
     */
    public static Result vitTiny(NDManager manager, int repeats) {
        VitConfig c = VitConfig.vitTiny();
        long tokens = (long) c.grid() * c.grid();
        long patch = 3L * c.patchSize() * c.patchSize();
        List<Gemm> train = trainStep(c, 32, tokens, patch, 10);
        List<Gemm> meta = metaStep(c, 32, 32, tokens, patch, 10);
        Map<MatmulPath, Double> peak = peak(manager, repeats);
        double trainMs = millis(train, manager, repeats);
        double metaMs = millis(meta, manager, repeats);
        MetaStepBench.Result steps = MetaStepBench.run("vit-tiny", repeats, HvpMode.EXACT);
        return new Result("vit-tiny", MatmulPath.current().describe() + ", MKL kernels "
                + MklDispatch.current().describe(), trainMs, metaMs, metaMs / trainMs,
                gflop(train), gflop(meta), peak, steps.msPerTrainStep(), steps.msPerStep(),
                peakBf16(manager, repeats));
    }
}
