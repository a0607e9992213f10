package dev.mona.core.export;

import java.util.Arrays;

/**
 * A value of the graph being built with its per-sample shape (the batch axis is implicit and dynamic).
 *
 * @param name graph value name
 * @param dims shape of one sample
 */
public record Value(String name, long[] dims) {
    public long dim(int i) {
        return dims[i];
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims);
    }
}
