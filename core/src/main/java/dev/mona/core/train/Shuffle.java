package dev.mona.core.train;

import java.util.SplittableRandom;

/**
 * Deterministic per-epoch shuffling: the order of epoch {@code e} is a Fisher-Yates permutation drawn from
 * {@code SplittableRandom(seed)} split {@code e + 1} times, so a resumed run draws the same orders without
 * storing generator internals.
 */
public final class Shuffle {
    private Shuffle() {}

    /** The sample order of {@code epoch} for a split of {@code n} samples. */
    public static int[] permutation(int n, long seed, int epoch) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom rng = root.split();
        for (int i = 0; i < epoch; i++) {
            rng = root.split();
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
