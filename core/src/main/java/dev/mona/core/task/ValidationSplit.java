package dev.mona.core.task;

import dev.mona.core.data.DataSplit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Carves a validation split out of training data: a seeded uniform random subset of
 * {@code round(fraction * n)} samples (at least 1) becomes validation; the remaining samples stay in training in
 * their original order. The same seed gives the same carve.
 */
public final class ValidationSplit {
    private ValidationSplit() {
    }

    /** Training and validation after the carve. */
    public record Carved(DataSplit train, DataSplit validation) {
    }

    public static Carved carve(DataSplit train, double fraction, long seed) {
        int n = train.size();
        int k = Math.max(1, (int) Math.round(fraction * n));
        return carveCount(train, k, seed);
    }

    /** Carves exactly {@code k} validation samples. */
    public static Carved carveCount(DataSplit train, int k, long seed) {
        int n = train.size();
        if (k >= n) {
            throw new IllegalArgumentException("cannot carve " + k + " validation samples out of " + n
                    + " training samples");
        }
        int[] perm = permutation(n, seed);
        int[] val = Arrays.copyOf(perm, k);
        int[] rest = Arrays.copyOfRange(perm, k, n);
        Arrays.sort(val);
        Arrays.sort(rest);
        return new Carved(new DataSplit(train.x().rows(rest), train.y().rows(rest)),
                new DataSplit(train.x().rows(val), train.y().rows(val)));
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
