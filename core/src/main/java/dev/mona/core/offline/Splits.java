package dev.mona.core.offline;

import dev.mona.core.data.DataSplit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic (per seed) sample selections: held-out splits, class-balanced subsets and shuffles. */
public final class Splits {
    private Splits() {}

    /** A permutation of {@code 0..n-1} (Fisher-Yates with a {@link SplittableRandom} seeded by {@code seed}). */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** {@code {kept, heldOut}}: {@code heldOut} random indices (sorted) and the rest (sorted). */
    public static int[][] holdOut(int n, int heldOut, long seed) {
        if (heldOut < 0 || heldOut > n) {
            throw new IllegalArgumentException("cannot hold out " + heldOut + " of " + n + " samples");
        }
        int[] p = permutation(n, seed);
        int[] out = Arrays.copyOfRange(p, 0, heldOut);
        int[] kept = Arrays.copyOfRange(p, heldOut, n);
        Arrays.sort(out);
        Arrays.sort(kept);
        return new int[][]{kept, out};
    }

    /** The rows {@code indices} of {@code split}. */
    public static DataSplit take(DataSplit split, int[] indices) {
        return new DataSplit(split.x().rows(indices), split.y().rows(indices));
    }

    /**
     * {@code n} samples of a classification split, {@code n / classes} per class (the remainder spread over the
     * first classes), chosen at random by {@code seed}; a typed error when a class has too few samples.
     */
    public static DataSplit balanced(DataSplit split, int classes, int n, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        int[] p = permutation(split.size(), seed);
        float[] y = split.y().data();
        for (int i : p) {
            byClass.get((int) y[i]).add(i);
        }
        int[] idx = new int[n];
        int k = 0;
        for (int c = 0; c < classes; c++) {
            int want = n / classes + (c < n % classes ? 1 : 0);
            if (byClass.get(c).size() < want) {
                throw new IllegalArgumentException("class " + c + " has " + byClass.get(c).size()
                        + " samples, fewer than the " + want + " asked for; ask for at most "
                        + classes * byClass.get(c).size() + " samples");
            }
            for (int j = 0; j < want; j++) {
                idx[k++] = byClass.get(c).get(j);
            }
        }
        Arrays.sort(idx);
        return take(split, idx);
    }

    /** Samples per class id {@code 0..classes-1} of float class labels. */
    public static int[] classCounts(float[] labels, int classes) {
        int[] counts = new int[classes];
        for (float v : labels) {
            counts[(int) v]++;
        }
        return counts;
    }
}
