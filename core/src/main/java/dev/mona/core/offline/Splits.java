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
     * {@code n} samples of a classification split, as class-balanced as the classes allow (the rule of
     * {@link #balancedCounts}), chosen at random by {@code seed}, in their original order.
     *
     * @param what names the data set in the error
     * @throws NotEnoughSamplesException when {@code n} exceeds the split's size
     */
    public static DataSplit balanced(DataSplit split, int classes, int n, long seed, String what) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        int[] p = permutation(split.size(), seed);
        float[] y = split.y().data();
        for (int i : p) {
            byClass.get((int) y[i]).add(i);
        }
        int[] sizes = new int[classes];
        for (int c = 0; c < classes; c++) {
            sizes[c] = byClass.get(c).size();
        }
        int[] want = balancedCounts(sizes, n, what);
        int[] idx = new int[n];
        int k = 0;
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < want[c]; j++) {
                idx[k++] = byClass.get(c).get(j);
            }
        }
        Arrays.sort(idx);
        return take(split, idx);
    }

    /**
     * How many of {@code n} samples each class gives, as class-balanced as the classes allow ("water-filling"):
     * every class gets an equal share; a class holding fewer gives all it has and the rest is shared equally among
     * the larger classes, repeatedly; the remainder of an unequal division goes one each to the first (lowest
     * index) of the classes still open. Example: 1,600 of classes holding {2500, 1400, 250, 500, 1396} give
     * {338, 338, 250, 337, 337}.
     *
     * @param sizes samples each class holds
     * @param what  names the data set in the error
     * @throws NotEnoughSamplesException when {@code n} exceeds the sum of {@code sizes}
     */
    public static int[] balancedCounts(int[] sizes, int n, String what) {
        long total = 0;
        for (int s : sizes) {
            total += s;
        }
        if (n < 0 || n > total) {
            throw new NotEnoughSamplesException(what, n, total);
        }
        int[] want = new int[sizes.length];
        boolean[] open = new boolean[sizes.length];
        Arrays.fill(open, true);
        int remaining = n;
        int openCount = sizes.length;
        boolean fixedAny = true;
        while (fixedAny && openCount > 0) {
            // classes at or below the equal share give everything; the others share what is left
            int share = remaining / openCount;
            fixedAny = false;
            for (int c = 0; c < sizes.length; c++) {
                if (open[c] && sizes[c] <= share) {
                    want[c] = sizes[c];
                    remaining -= sizes[c];
                    open[c] = false;
                    openCount--;
                    fixedAny = true;
                }
            }
        }
        if (openCount > 0) {
            int share = remaining / openCount;
            int extra = remaining % openCount;
            for (int c = 0; c < sizes.length; c++) {
                if (open[c]) {
                    // every open class holds more than share, so share + 1 fits
                    want[c] = share + (extra-- > 0 ? 1 : 0);
                }
            }
        }
        return want;
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
