package dev.mona.core.bench;

import java.util.Arrays;
import java.util.List;

/** The median of timings (the benches report it rather than the mean, which a single slow step would move). */
public final class Median {
    private Median() {}

    /** Median of {@code values} (the mean of the middle two for an even count); {@code values} is not modified. */
    public static double of(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Median of {@code values}. */
    public static double of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
