package dev.mona.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.method.HvpMode;
import dev.mona.core.method.MonaAligner;
import dev.mona.core.method.MonaConfig;
import dev.mona.core.method.OuterOptimizer;
import dev.mona.core.method.UniformityPairs;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.Losses;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.TransferModel;
import dev.mona.core.model.VitConfig;
import dev.mona.core.train.Adam;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times one exact MoNA meta-step against one fine-tuning step (forward, backward, Adam update) of the same model
 * and target batch, and reads the process's resident memory (VmRSS, and the peak VmHWM) from {@code /proc}.
 * Inputs are seeded Gaussian noise: the cost of a step does not depend on the values. The JVM heap is collected
 * every {@link #GC_EVERY} meta-steps (outside nothing but the timing, a few ms) so that resident memory measures
 * libtorch's native memory rather than the Java young generation filling up with array wrappers.
 */
public final class MetaStepBench {
    /** Meta-steps between JVM heap collections during the run (see {@link #run}). */
    public static final int GC_EVERY = 10;

    private MetaStepBench() {}

    /**
     * Figures of one bench run.
     *
     * @param msPerStep        median wall time of a meta-step after warm-up
     * @param msPerTrainStep   median wall time of a fine-tuning step (the trainer's {@link TrainStep}: forward,
     *                         backward, AdamW, clipping) of the same model and target batch, interleaved with the
     *                         meta-steps (one every {@code steps / 20}) so both see the same machine load
     * @param ratioToTrainStep {@code msPerStep / msPerTrainStep}
     * @param peakRssMb        VmHWM at the end, MiB
     * @param rssAfterWarmupMb VmRSS after the first {@code rssReferenceStep} meta-steps, MiB
     * @param rssEndMb         VmRSS after the last meta-step, MiB
     */
    public record Result(String size, String hvp, int targetBatch, int sourceBatch, int steps, double msPerStep,
                         double msPerTrainStep, double ratioToTrainStep, double peakRssMb, int rssReferenceStep,
                         double rssAfterWarmupMb, double rssEndMb) {
        /** One JSON object with snake_case keys ({@code ms_per_step}, {@code peak_rss_mb}, ...). */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"size\":\"%s\",\"hvp\":\"%s\",\"target_batch\":%d,\"source_batch\":%d,"
                            + "\"steps\":%d,\"ms_per_step\":%.1f,\"ms_per_train_step\":%.1f,\"ratio_to_train_step\":%.3f,"
                            + "\"peak_rss_mb\":%.1f,\"rss_reference_step\":%d,\"rss_after_reference_mb\":%.1f,"
                            + "\"rss_end_mb\":%.1f}", size, hvp, targetBatch, sourceBatch, steps, msPerStep,
                    msPerTrainStep, ratioToTrainStep, peakRssMb, rssReferenceStep, rssAfterWarmupMb, rssEndMb);
        }
    }

    /**
     * Runs the bench on {@code model} (parameters freshly initialised in {@code manager}).
     *
     * @param targetInput shape of one target batch, batch first
     * @param sourceInput shape of one source batch (k * m samples), batch first
     * @param classes     target classes (cross-entropy task)
     * @param steps       timed meta-steps (and as many training steps, at most 20)
     * @param rssReferenceStep the meta-step after which the reference VmRSS is read (memory flatness)
     */
    public static Result run(String size, TransferModel model, NDManager manager, long[] targetInput,
                             long[] sourceInput, int classes, MonaConfig config, int steps, int rssReferenceStep) {
        Params params = model.initialise(manager, DataType.FLOAT32, new SplittableRandom(config.seed()));
        SplittableRandom rng = new SplittableRandom(config.seed() + 1);
        int sourceBatch = (int) sourceInput[0];
        int[] ys = new int[sourceBatch];
        int perClass = Math.max(2, sourceBatch / Math.max(1, config.sourceClasses()));
        for (int i = 0; i < sourceBatch; i++) {
            ys[i] = i / perClass;
        }
        float[] xtData = gaussian(rng, targetInput);
        float[] xsData = gaussian(rng, sourceInput);
        float[] ytData = new float[(int) targetInput[0]];
        for (int i = 0; i < ytData.length; i++) {
            ytData[i] = rng.nextInt(classes);
        }
        MonaAligner aligner = new MonaAligner(model, config, Losses.of(LossKind.CROSS_ENTROPY));
        Map<String, NDArray> phi = MonaAligner.embedderArrays(params);
        // the fine-tune step updates a copy, so the meta-steps always see the same encoder
        Params trainParams = params.map((k, v) -> v.duplicate());
        TrainStep trainStep = new TrainStep(model, Losses.of(LossKind.CROSS_ENTROPY),
                new Adam(manager, 0.9, 0.999, 1e-8, 0.01, true), n -> true, 1.0);
        List<DataSplit> trainBatch = List.of(new DataSplit(new HostTensor(xtData, targetInput), new HostTensor(ytData, new long[] {targetInput[0]})));
        int warmup = 2;
        int trainEvery = Math.max(1, steps / 20);
        List<Double> metaMs = new ArrayList<>();
        List<Double> trainMs = new ArrayList<>();
        double rssRef = Double.NaN;
        try (NDManager state = manager.newSubManager()) {
            OuterOptimizer outer = new OuterOptimizer(OptimizerKind.ADAM, 1e-4, 0, state);
            for (int s = 0; s < warmup + steps; s++) {
                long t0 = System.nanoTime();
                try (NDManager sm = manager.newSubManager()) {
                    NDArray xt = sm.create(xtData, new Shape(targetInput));
                    NDArray yt = sm.create(ytData, new Shape(targetInput[0]));
                    NDArray xs = sm.create(xsData, new Shape(sourceInput));
                    // as in a run: the before-step source pass on every diagnosticsEvery-th meta-step
                    outer.step(phi, aligner.metaGradientParts(params, xt, yt, xs, ys, config.hvp(),
                            config.diagnosesBefore(s)).total());
                }
                long t1 = System.nanoTime();
                // interleaved fine-tune steps see the same machine load as the meta-steps around them
                if (s < warmup || (s - warmup) % trainEvery == 0) {
                    trainStep.run(manager, trainParams, trainBatch, 1e-4);
                }
                long t2 = System.nanoTime();
                if (s >= warmup) {
                    metaMs.add((t1 - t0) / 1e6);
                    if ((s - warmup) % trainEvery == 0) {
                        trainMs.add((t2 - t1) / 1e6);
                    }
                }
                // collect the JVM heap now and then: otherwise RSS mostly tracks the young generation filling with
                // small Java wrappers (~0.25 MB a step) until its first collection, hiding the native figure
                if ((s + 1) % GC_EVERY == 0) {
                    System.gc();
                }
                if (s + 1 == rssReferenceStep) {
                    rssRef = nanIfMissing(ResidentMemory.currentMb());
                }
            }
        }
        double rssEnd = nanIfMissing(ResidentMemory.currentMb());
        double meta = Median.of(metaMs);
        double train = Median.of(trainMs);
        double peak = nanIfMissing(ResidentMemory.peakMb());
        return new Result(size, config.hvp().name().toLowerCase(Locale.ROOT), (int) targetInput[0], sourceBatch,
                steps, meta, train, meta / train, peak, rssReferenceStep, rssRef, rssEnd);
    }

    /** A resident-memory figure of {@link ResidentMemory} in MiB, NaN (not -1) where /proc is absent. */
    private static double nanIfMissing(double mb) {
        return mb < 0 ? Double.NaN : mb;
    }

    /** Names accepted by {@link #run(String, int)}. */
    public static List<String> sizes() {
        return List.of("vit-tiny", "swin-base", "swin-tiny");
    }

    /**
     * The CLI entry ({@code mona bench meta-step --size S}): exact MoNA meta-steps on a classifier of the named
     * size with seeded random data, default {@link MonaConfig} choices (alpha = beta = 1e-4, lambda 0.4, t 2).
     * {@code vit-tiny}: ViT-Tiny (depth 4, width 192, 3 heads), 32 x 32 RGB in 64 tokens, target batch 32, source
     * batch 4 classes x 8. {@code swin-base} (224 x 224): target batch 4, source 2 x 2. {@code swin-tiny}: the
     * Swin-T geometry at the same batch.
     */
    public static Result run(String size, int steps) {
        return run(size, steps, HvpMode.EXACT);
    }

    public static Result run(String size, int steps, HvpMode hvp) {
        return run(size, steps, hvp, 0, 0);
    }

    /**
     * As {@link #run(String, int, HvpMode)} with a source batch of {@code sourceClasses} x {@code perClass} samples
     * (either &lt;= 0: the size's default). The source passes scale with it; the target side does not.
     */
    public static Result run(String size, int steps, HvpMode hvp, int sourceClasses, int perClass) {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        if (sourceClasses == 1 || perClass == 1) {
            throw new IllegalArgumentException("a source batch needs at least 2 classes of at least 2 samples (same-"
                    + "and different-class pairs), got " + sourceClasses + " x " + perClass);
        }
        EncoderConfig enc;
        int batch;
        int k;
        int m;
        switch (size) {
            case "vit-tiny" -> {
                enc = VitConfig.vitTiny();
                batch = 32;
                k = 4;
                m = 8;
            }
            case "swin-base" -> {
                enc = SwinConfig.swinBasePatch4Window7_224();
                batch = 4;
                k = 2;
                m = 2;
            }
            case "swin-tiny" -> {
                enc = SwinConfig.swinTinyPatch4Window7_224();
                batch = 4;
                k = 2;
                m = 2;
            }
            default -> throw new IllegalArgumentException("unknown meta-step bench size '" + size + "'; known: "
                    + sizes());
        }
        if (sourceClasses > 0 && perClass > 0) {
            k = sourceClasses;
            m = perClass;
        }
        int side = enc.inputSize2d();
        long[] input = {3, side, side};
        TransferModel model = Architectures.classifier(enc, input, 10);
        MonaConfig c = new MonaConfig(1e-4, MonaConfig.DEFAULT_LAMBDA, MonaConfig.DEFAULT_TEMPERATURE, steps, true,
                UniformityPairs.ALL, k, m, batch, OptimizerKind.ADAM, 1e-4, hvp,
                MonaConfig.DEFAULT_DIAGNOSTICS_EVERY, 0L);
        Engines.pytorch();
        try (NDManager manager = Engines.newManager(Engines.defaultDevice())) {
            return run(size, model, manager, new long[] {batch, 3, side, side},
                    new long[] {(long) k * m, 3, side, side}, 10, c, steps, Math.min(steps, 30));
        }
    }

    private static float[] gaussian(SplittableRandom rng, long[] shape) {
        float[] out = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }
}
