package dev.mona.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import dev.mona.core.engine.Engines;
import dev.mona.core.engine.Precision;
import dev.mona.core.model.Params;
import dev.mona.core.train.Adam;
import dev.mona.core.train.TrainStep;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Benchmark of one fine-tune step (forward, backward, AdamW update) through the same {@link TrainStep} the
 * trainer uses, in the calling thread's {@link Precision}. Entry points for the CLI: {@link #run(String, int)} and
 * {@link #memory(String, int, int)}; sizes are listed by {@link BenchSizes#names()}. Figures are printed by the
 * caller (the CLI), never here.
 */
public final class TrainStepBench {
    /** Untimed steps before timing (allocator and thread-pool warm-up). */
    public static final int WARMUP_STEPS = 3;

    private TrainStepBench() {}

    /** Times {@code steps} steps of the named size on the default device (the GPU when present). */
    public static TrainStepResult run(String size, int steps) {
        return run(size, steps, 0);
    }

    /**
     * As {@link #run(String, int)} with {@code threads} libtorch intra-op threads (0 keeps the configured
     * {@code ai.djl.pytorch.num_threads}; the CPU figure uses 2).
     */
    public static TrainStepResult run(String size, int steps, int threads) {
        Engines.pytorch();
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        return run(BenchSizes.workload(size), Engines.defaultDevice(), WARMUP_STEPS, steps);
    }

    /** Times {@code steps} steps of {@code workload} on {@code device} after {@code warmup} untimed ones. */
    public static TrainStepResult run(BenchWorkload workload, Device device, int warmup, int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        Engines.pytorch();
        try (NDManager manager = Engines.newManager(device)) {
            Params params = workload.model().initialise(manager, DataType.FLOAT32, new SplittableRandom(0));
            TrainStep step = new TrainStep(workload.model(), workload.loss(),
                    new Adam(manager, 0.9, 0.999, 1e-8, 0.01, true), n -> true, 1.0);
            List<dev.mona.core.data.DataSplit> batch = List.of(workload.batch());
            for (int i = 0; i < warmup; i++) {
                step.run(manager, params, batch, 1e-4);
            }
            double[] ms = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                step.run(manager, params, batch, 1e-4);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double median = Median.of(ms);
            return new TrainStepResult(workload.size(), device.toString(), JniUtils.getNumThreads(),
                    workload.batchSize(), median, workload.batchSize() * 1000.0 / median, ResidentMemory.peakMb(),
                    steps, Precision.current().key());
        }
    }

    /** Runs {@code lateSteps} steps of the named size, reading resident memory after {@code earlySteps} and at the end. */
    public static MemoryResult memory(String size, int earlySteps, int lateSteps) {
        return memory(BenchSizes.workload(size), Engines.defaultDevice(), earlySteps, lateSteps);
    }

    /** As {@link #memory(String, int, int)} for any workload. */
    public static MemoryResult memory(BenchWorkload workload, Device device, int earlySteps, int lateSteps) {
        if (earlySteps <= 0 || lateSteps <= earlySteps) {
            throw new IllegalArgumentException("need 0 < earlySteps < lateSteps, got " + earlySteps + ", "
                    + lateSteps);
        }
        Engines.pytorch();
        try (NDManager manager = Engines.newManager(device)) {
            Params params = workload.model().initialise(manager, DataType.FLOAT32, new SplittableRandom(0));
            TrainStep step = new TrainStep(workload.model(), workload.loss(),
                    new Adam(manager, 0.9, 0.999, 1e-8, 0.01, true), n -> true, 1.0);
            List<dev.mona.core.data.DataSplit> batch = List.of(workload.batch());
            double early = 0;
            for (int i = 1; i <= lateSteps; i++) {
                step.run(manager, params, batch, 1e-4);
                if (i == earlySteps) {
                    early = ResidentMemory.currentMb();
                }
            }
            return new MemoryResult(workload.size(), earlySteps, early, lateSteps, ResidentMemory.currentMb());
        }
    }
}
