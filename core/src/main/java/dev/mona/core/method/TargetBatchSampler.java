package dev.mona.core.method;

import java.util.SplittableRandom;

/** Seeded mini-batches over {@code n} samples: a fresh permutation each epoch, batches cut from it in order. */
public final class TargetBatchSampler {
    private final int n;
    private final int batch;
    private final SplittableRandom rng;
    private int[] order;
    private int pos;

    public TargetBatchSampler(int n, int batch, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("the target training split is empty");
        }
        this.n = n;
        this.batch = Math.min(batch, n);
        this.rng = new SplittableRandom(seed);
        shuffle();
    }

    private void shuffle() {
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        pos = 0;
    }

    /** The next batch of row indices. */
    public int[] next() {
        if (pos + batch > n) {
            shuffle();
        }
        int[] rows = new int[batch];
        System.arraycopy(order, pos, rows, 0, batch);
        pos += batch;
        return rows;
    }
}
