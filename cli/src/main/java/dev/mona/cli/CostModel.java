package dev.mona.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.core.bench.BenchSizes;
import dev.mona.core.bench.TrainStepBench;
import dev.mona.core.bench.TrainStepResult;
import dev.mona.core.config.RunConfig;
import dev.mona.core.model.BertEncoder;
import dev.mona.core.model.Embedder1d;
import dev.mona.core.model.Embedder2d;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.SwinEncoder;
import dev.mona.core.model.TransferModel;
import dev.mona.core.model.VitConfig;
import dev.mona.core.model.VitEncoder;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import dev.mona.workflows.TransferMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The GPU-time estimate of {@code mona sweep SPEC --plan}: encoder work per sample times training passes, priced by
 * a {@code mona bench train-step} figure.
 *
 * <h2>Formula</h2>
 * <ul>
 *   <li><b>Work of one sample</b> {@code w = sum over encoder layers of tokens_l x width_l^2}: the matrix products of
 *       a transformer layer cost about {@code 24 width^2} per token, so tokens x layers x width^2 is proportional to
 *       a pass's arithmetic whatever the encoder (Swin-B halves its tokens and doubles its width at each stage,
 *       so every one of its layers weighs the same). Tokens are the target embedder's (the task's input resized
 *       or stacked to the encoder), plus the class token of a ViT that has one. Embedder, predictor and
 *       attention's {@code tokens^2} term are left out. One unit is about 72 FLOP of a training pass (24 forward,
 *       48 backward): vit-tiny's bench step, 32 x 9.4e6 units, is 23.0 GFLOP of products ({@code mona bench
 *       gemm-floor}), 76 a unit; Swin-B at 224 px, 1.23e9 units, gives 89 GFLOP a sample against 92 from three
 *       times its published 15.4 GMAC forward.</li>
 *   <li><b>Training passes</b> (forward and backward of one sample): stage 2 {@code epochs x n}, where {@code n} is
 *       the task's published training samples ({@link dev.mona.core.task.PublishedTasks#trainSamples}), capped by
 *       {@code limit}; stage 1: Emb {@code align.epochs x n} (its backward still crosses the frozen encoder); ORCA {@code align.epochs x min(n, orca.per-class x
 *       k)} with {@code k} the classes of a classification task, else {@code orca.pseudo-classes}; MoNA
 *       {@code align.steps x (7/3 x mona.target-batch + mona.classes x mona.per-class)}: a meta-step's target
 *       samples cost 7 forward-units (forward 1, inner backward 2, double backward 4) against a training pass's 3,
 *       its source samples 3 (see {@code mona bench gemm-floor}), and source samples are counted at the target's
 *       tokens. Evaluation, the source stage, the probe, t-SNE and ORCA's OTDD are not counted: on a CPU they
 *       dominate small runs (the offline study's 16-63 s runs plan at 0.2-0.3 s, and an ORCA run whose stage 1
 *       of 60 OTDD epochs against 5,000 source samples takes 10-25 minutes at 7 s).</li>
 *   <li><b>Seconds</b> {@code = passes x w x s}, where {@code s} is the calibration's seconds per unit of work:
 *       one bench step's seconds divided by its batch times its model's {@code w}.</li>
 * </ul>
 * With {@code n} unknown (and no {@code limit}) a run's estimate is unknown, never guessed.
 */
final class CostModel {
    /** Timed steps of the default calibration (after the bench's warm-up steps). */
    static final int CALIBRATION_STEPS = 5;
    /** The bench size the default calibration times: the smallest, so that a plan takes seconds on a CPU. */
    static final String CALIBRATION_SIZE = "vit-tiny";
    /** Forward-units of a meta-step's target sample (forward 1, inner backward 2, double backward 4). */
    static final double META_TARGET_UNITS = 7;
    /** Forward-units of a training pass (forward 1, backward 2), also those of a meta-step's source sample. */
    static final double PASS_UNITS = 3;

    private CostModel() {}

    /**
     * A calibration: one bench train-step figure and the work of its model.
     *
     * @param size            bench size ({@code mona bench train-step --size})
     * @param device          where it ran ({@code cpu()}, {@code gpu(0)})
     * @param batch           samples per step
     * @param msPerStep       median milliseconds per step
     * @param workPerSample   {@link #work} of the bench model
     * @param from            where the figure came from (a file, or "measured now")
     */
    record Calibration(String size, String device, int batch, double msPerStep, double workPerSample, String from) {
        /** Seconds per unit of work ({@code tokens x width^2} of one layer for one sample, forward and backward). */
        double secondsPerUnit() {
            return msPerStep / 1000.0 / (batch * workPerSample);
        }

        /** True when the figure was taken on a CPU: the estimate is then CPU time, not GPU time. */
        boolean onCpu() {
            return device.startsWith("cpu");
        }
    }

    /** Times {@value #CALIBRATION_STEPS} train steps of {@value #CALIBRATION_SIZE} on the default device now. */
    static Calibration measure() {
        TrainStepResult r = TrainStepBench.run(CALIBRATION_SIZE, CALIBRATION_STEPS);
        return new Calibration(r.size(), r.device(), r.batch(), r.msPerStep(), benchWork(r.size()),
                "measured now: mona bench train-step --size " + r.size() + " --steps " + CALIBRATION_STEPS);
    }

    /** A saved {@code mona bench train-step --format json} figure; bad input for anything else. */
    static Calibration read(Path file) {
        JsonNode n;
        try {
            n = Verb.JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot read calibration " + file + ": " + e.getMessage()
                    + " (write one with: mona bench train-step --size SIZE --format json > FILE)");
        }
        String size = n == null ? null : text(n, "size");
        String device = n == null ? null : text(n, "device");
        double ms = n == null || !n.path("ms_per_step").isNumber() ? -1 : n.get("ms_per_step").asDouble();
        int batch = n == null || !n.path("batch").canConvertToInt() ? -1 : n.get("batch").asInt();
        if (size == null || device == null || !(ms > 0) || batch < 1) {
            throw new CliException(ExitCodes.BAD_INPUT, "calibration " + file + " is not the output of 'mona bench "
                    + "train-step --format json': it needs size, device, batch >= 1 and ms_per_step > 0");
        }
        if (!BenchSizes.names().contains(size)) {
            throw new CliException(ExitCodes.BAD_INPUT, "calibration " + file + " names bench size '" + size
                    + "'; known sizes: " + BenchSizes.names());
        }
        return new Calibration(size, device, batch, ms, benchWork(size), file.toString());
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static double benchWork(String size) {
        if (!(BenchSizes.workload(size).model() instanceof TransferModel m)) {
            throw new IllegalStateException("bench size " + size + " is not a transfer model");
        }
        return work(m);
    }

    /** {@code sum over layers of tokens_l x width_l^2} for one sample through the model's encoder. */
    static double work(TransferModel model) {
        long tokens;
        if (model.embedder() instanceof Embedder2d e) {
            tokens = e.tokens();
        } else if (model.embedder() instanceof Embedder1d e) {
            tokens = e.tokens();
        } else {
            throw new IllegalStateException("no token count for embedder "
                    + model.embedder().getClass().getSimpleName());
        }
        if (model.encoder() instanceof VitEncoder v) {
            VitConfig c = v.config();
            return (double) c.depth() * (tokens + (c.classToken() ? 1 : 0)) * square(c.width());
        }
        if (model.encoder() instanceof BertEncoder b) {
            return (double) b.config().layers() * tokens * square(b.config().width());
        }
        if (model.encoder() instanceof SwinEncoder s) {
            // Swin's own geometry: the embedder resized the input to its image size, so its tokens are stage 0's
            SwinConfig c = s.config();
            double w = 0;
            for (int stage = 0; stage < c.stages(); stage++) {
                w += (double) c.depths().get(stage) * square(c.resolution(stage)) * square(c.stageWidth(stage));
            }
            return w;
        }
        throw new IllegalStateException("no cost model for encoder " + model.encoder().getClass().getSimpleName());
    }

    private static double square(int x) {
        return (double) x * x;
    }

    /**
     * Training passes of one run (see the class comment), or -1 when the task's training samples are unknown.
     *
     * @param spec   the task
     * @param method the method
     * @param config the run's resolved configuration
     */
    static double passes(TaskSpec spec, TransferMethod method, RunConfig config) {
        long n = trainSamples(spec, config.integer("limit"));
        if (n < 0) {
            return -1;
        }
        double stage2 = (double) config.integer("epochs") * n;
        // an updates:N budget replaces every method's own length key (which the run's configuration then lacks):
        // Emb's N optimiser steps see a mini-batch each, ORCA's N embedder epochs and MoNA's N meta-steps as below
        java.util.OptionalLong budget = method == TransferMethod.SCRATCH || method == TransferMethod.FT
                ? java.util.OptionalLong.empty() : config.stage1Updates();
        return stage2 + switch (method) {
            case SCRATCH, FT -> 0;
            case EMB -> budget.isPresent() ? (double) budget.getAsLong() * Math.min(n, config.integer("batch"))
                    : (double) config.integer("align.epochs") * n;
            case ORCA -> {
                int k = spec.kind() == TaskKind.CLASSIFICATION ? spec.classes() : config.integer("orca.pseudo-classes");
                long epochs = budget.isPresent() ? budget.getAsLong() : config.integer("align.epochs");
                yield (double) epochs * Math.min(n, (long) config.integer("orca.per-class") * k);
            }
            case MONA -> (budget.isPresent() ? budget.getAsLong() : config.integer("align.steps"))
                    * (META_TARGET_UNITS / PASS_UNITS * config.integer("mona.target-batch")
                    + (double) config.integer("mona.classes") * config.integer("mona.per-class"));
        };
    }

    /**
     * Training samples a run sees per epoch: the published count capped by {@code limit} ({@code limit} alone, an
     * upper bound, when the count is unknown), -1 when neither is known.
     */
    static long trainSamples(TaskSpec spec, int limit) {
        java.util.OptionalInt known = dev.mona.core.task.PublishedTasks.trainSamples(spec.name());
        if (known.isPresent()) {
            return limit > 0 ? Math.min(limit, known.getAsInt()) : known.getAsInt();
        }
        return limit > 0 ? limit : -1;
    }
}
