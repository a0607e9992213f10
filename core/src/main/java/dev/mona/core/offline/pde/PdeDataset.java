package dev.mona.core.offline.pde;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Generates the samples of an {@link OfflinePde} task. Sample {@code i} is drawn from its own random stream,
 * derived from {@code seed} and {@code i} only, so the data are identical for any number of threads.
 *
 * @param pde     which task
 * @param points  grid points of the 1-D tasks (a power of two, PDEBench: 1024); Darcy is always 85 x 85
 * @param threads worker threads (the samples are independent)
 */
public record PdeDataset(OfflinePde pde, int points, int threads) {
    /** Nodes per side of the Darcy grid (NAS-Bench-360: 421 subsampled by 5). */
    public static final int DARCY_SIZE = 85;

    public PdeDataset {
        if (Integer.bitCount(points) != 1 || points < 16) {
            throw new IllegalArgumentException("1-D PDE grids must have a power-of-two size >= 16, got " + points);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** PDEBench's 1024 points, one thread per available processor. */
    public static PdeDataset of(OfflinePde pde) {
        return new PdeDataset(pde, 1024, Runtime.getRuntime().availableProcessors());
    }

    /** Shape of one input sample. */
    public long[] inputShape() {
        return pde.twoDimensional() ? new long[]{3, DARCY_SIZE, DARCY_SIZE} : new long[]{1, points};
    }

    /** Shape of one target sample. */
    public long[] targetShape() {
        return pde.twoDimensional() ? new long[]{1, DARCY_SIZE, DARCY_SIZE} : new long[]{1, points};
    }

    /** Samples {@code first .. first + count - 1} of the stream of {@code seed}. */
    public DataSplit generate(int first, int count, long seed) {
        int in = (int) product(inputShape());
        int out = (int) product(targetShape());
        float[] x = new float[count * in];
        float[] y = new float[count * out];
        Runnable work = () -> IntStream.range(0, count).parallel().forEach(i -> {
            double[][] sample = sample(new SplittableRandom(mix(seed, first + i)));
            copy(sample[0], x, i * in);
            copy(sample[1], y, i * out);
        });
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("PDE generation interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("PDE generation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
        return new DataSplit(new HostTensor(x, prepend(count, inputShape())),
                new HostTensor(y, prepend(count, targetShape())));
    }

    /** Train, validation and test splits of the given sizes, disjoint parts of one sample stream. */
    public TaskData taskData(int train, int validation, int test, long seed) {
        return new TaskData(generate(0, train, seed), generate(train, validation, seed),
                generate(train + validation, test, seed));
    }

    /** One sample {@code {input, target}} as flat arrays. */
    double[][] sample(SplittableRandom rng) {
        return switch (pde) {
            case ADVECTION -> {
                InitialCondition1d ic = InitialCondition1d.sample(rng);
                yield new double[][]{ic.onGrid(points), new Advection1d(0.4).solve(ic, points, pde.targetTime())};
            }
            case BURGERS -> {
                InitialCondition1d ic = InitialCondition1d.sample(rng);
                // nu = 1 is strongly diffusive: a quarter of the output grid resolves it (7e-5 relative to 4x finer)
                Burgers1d solver = new Burgers1d(1.0, Math.max(16, points / 4));
                yield new double[][]{ic.onGrid(points), solver.solve(ic, points, pde.targetTime())};
            }
            case DIFFUSION_REACTION -> {
                double[] u0 = InitialCondition1d.minMaxNormalised(InitialCondition1d.sample(rng).onGrid(points));
                yield new double[][]{u0, new FisherKpp1d(0.5, 1.0, 100).solve(u0, pde.targetTime())};
            }
            case DIFFUSION_SORPTION -> {
                double[] u0 = InitialCondition1d.minMaxNormalised(InitialCondition1d.sample(rng).onGrid(points));
                yield new double[][]{u0, DiffusionSorption1d.pdebench(500).solve(u0, pde.targetTime())};
            }
            case DARCY -> {
                Darcy2d darcy = new Darcy2d(DARCY_SIZE, 1.0);
                double[] a = darcy.randomCoefficient(rng);
                double[] u = darcy.solve(a);
                int n2 = DARCY_SIZE * DARCY_SIZE;
                double[] input = new double[3 * n2];
                for (int yIdx = 0; yIdx < DARCY_SIZE; yIdx++) {
                    for (int xIdx = 0; xIdx < DARCY_SIZE; xIdx++) {
                        int p = yIdx * DARCY_SIZE + xIdx;
                        input[p] = a[p];
                        input[n2 + p] = xIdx / (DARCY_SIZE - 1.0);
                        input[2 * n2 + p] = yIdx / (DARCY_SIZE - 1.0);
                    }
                }
                yield new double[][]{input, u};
            }
        };
    }

    private static long mix(long seed, long index) {
        // SplitMix64 finaliser of (seed, index): independent, reproducible streams per sample
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void copy(double[] src, float[] dst, int off) {
        for (int i = 0; i < src.length; i++) {
            dst[off + i] = (float) src[i];
        }
    }

    private static long product(long[] s) {
        long p = 1;
        for (long v : s) {
            p *= v;
        }
        return p;
    }

    private static long[] prepend(long n, long[] s) {
        long[] out = new long[s.length + 1];
        out[0] = n;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }
}
