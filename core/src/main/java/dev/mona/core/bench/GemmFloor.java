package dev.mona.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.model.VitConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 */
public final class GemmFloor {
    private GemmFloor() {}

    /** {@code count} products {@code (batch x) (m x k) @ (k x n)}. */
    public record Gemm(long batch, long m, long k, long n, int count) {
        double flops() {
            return 2.0 * batch * m * k * n * count;
        }
    }

    /**
     * Figures of one run.
     *
     * @param trainMs      the fine-tune step's products, ms
     * @param metaMs       the exact meta-step's products, ms
     * @param ratio        {@code metaMs / trainMs}
     * @param trainGflop   floating-point work of the fine-tune step's products, GFLOP
     * @param metaGflop    the same for the meta-step
     */
    public record Result(String size, double trainMs, double metaMs, double ratio, double trainGflop,
                         double metaGflop) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"size\":\"%s\",\"train_step_gemm_ms\":%.1f,\"meta_step_gemm_ms\":%.1f,"
                            + "\"gemm_ratio\":%.3f,\"train_step_gflop\":%.2f,\"meta_step_gflop\":%.2f,"
                            + "\"train_step_gflops_per_s\":%.1f}", size, trainMs, metaMs, ratio, trainGflop,
                    metaGflop, trainGflop / trainMs * 1e3);
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
                NDArray b = g.batch() == 1 ? m.randomNormal(new Shape(g.k(), g.n()))
                        : m.randomNormal(new Shape(g.batch(), g.k(), g.n()));
                double[] ms = new double[repeats];
                for (int r = -2; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    NDArray p = g.batch() == 1 ? a.matMul(b) : a.batchMatMul(b);
                    p.close();
                    if (r >= 0) {
                        ms[r] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double median = Median.of(ms);
                total += median * counts.get(e.getKey())[0];
            }
        }
        return total;
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
        double trainMs = millis(train, manager, repeats);
        double metaMs = millis(meta, manager, repeats);
        return new Result("vit-tiny", trainMs, metaMs, metaMs / trainMs, gflop(train), gflop(meta));
    }
}
