package dev.mona.core.method;

import dev.mona.core.data.DataSplit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Seeded labelled source batches of k classes x m samples (so that same-class pairs exist for {@code L_align}):
 * k distinct classes drawn uniformly, then m distinct samples of each (with replacement only when a class holds
 * fewer than m samples).
 */
public final class SourceBatchSampler {
    private final List<int[]> byClass = new ArrayList<>();
    private final int classes;
    private final int perClass;
    private final SplittableRandom rng;

    public SourceBatchSampler(DataSplit source, int classes, int perClass, long seed) {
        TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
        float[] y = source.y().data();
        if (source.y().rowSize() != 1) {
            throw new IllegalArgumentException("the labelled source set needs one class id per sample, got rows of "
                    + source.y().rowSize() + " values");
        }
        for (int i = 0; i < y.length; i++) {
            groups.computeIfAbsent(Math.round(y[i]), c -> new ArrayList<>()).add(i);
        }
        groups.values().forEach(l -> byClass.add(l.stream().mapToInt(Integer::intValue).toArray()));
        if (byClass.size() < classes) {
            throw new IllegalArgumentException("the source set has " + byClass.size() + " classes but the batch "
                    + "composition asks for " + classes + "; lower sourceClasses");
        }
        this.classes = classes;
        this.perClass = perClass;
        this.rng = new SplittableRandom(seed);
    }

    /** Row indices of the next batch, class by class. */
    public int[] next() {
        int[] order = permutation(byClass.size());
        int[] rows = new int[classes * perClass];
        for (int c = 0; c < classes; c++) {
            int[] members = byClass.get(order[c]);
            if (members.length >= perClass) {
                int[] p = permutation(members.length);
                for (int j = 0; j < perClass; j++) {
                    rows[c * perClass + j] = members[p[j]];
                }
            } else {
                for (int j = 0; j < perClass; j++) {
                    rows[c * perClass + j] = members[rng.nextInt(members.length)];
                }
            }
        }
        return rows;
    }

    private int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
