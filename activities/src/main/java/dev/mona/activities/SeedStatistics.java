package dev.mona.activities;

import java.util.Arrays;

/**
 * The statistics a multi-seed comparison reports: Student-t 95 % confidence intervals of a mean, and for two methods
 * run on the same seeds the paired t-test and the exact Wilcoxon signed-rank test of their differences.
 *
 * <p>The t distribution is evaluated in closed form for integer degrees of freedom (Abramowitz and Stegun 26.7.3
 * and 26.7.4: a finite series in theta = atan(t / sqrt(df))), which is all n - 1 seeds ever gives; the quantile is
 * found by bisection on it. The Wilcoxon null distribution is counted exactly over all 2^n sign assignments with a
 * dynamic programme over rank sums, so it is exact for any n.
 */
public final class SeedStatistics {
    private SeedStatistics() {}

    /** The confidence level of every interval this class returns. */
    public static final double LEVEL = 0.95;

    /**
     * P(|T| &lt;= t) for Student's t with {@code df} degrees of freedom (A(t | df) in Abramowitz and Stegun).
     *
     * @throws IllegalArgumentException when df is under 1
     */
    static double centralProbability(double t, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
        }
        if (Double.isInfinite(t)) {
            return 1;
        }
        double theta = Math.atan(Math.abs(t) / Math.sqrt(df));
        double c2 = Math.cos(theta) * Math.cos(theta);
        double s = Math.sin(theta);
        if (df % 2 == 1) {
            // 2/pi [theta + sin cos (1 + 2/3 cos^2 + 2*4/(3*5) cos^4 + ... up to cos^(df-3))]
            double sum = 0, term = 1;
            for (int k = 1; k <= df - 2; k += 2) {
                sum += term;
                term *= (k + 1.0) / (k + 2.0) * c2;
            }
            return Math.min(1, 2 / Math.PI * (theta + (df > 1 ? s * Math.cos(theta) * sum : 0)));
        }
        // sin [1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ... up to cos^(df-2)]
        double sum = 0, term = 1;
        for (int k = 1; k <= df - 1; k += 2) {
            sum += term;
            term *= k / (k + 1.0) * c2;
        }
        return Math.min(1, s * sum);
    }

    /** The two-sided p-value of a t statistic: P(|T| &gt;= |t|) with {@code df} degrees of freedom. */
    public static double tTwoSidedP(double t, int df) {
        return Math.max(0, 1 - centralProbability(t, df));
    }

    /** The {@code p}-quantile (0.5 &lt;= p &lt; 1) of Student's t with {@code df} degrees of freedom. */
    public static double tQuantile(double p, int df) {
        if (!(p >= 0.5 && p < 1)) {
            throw new IllegalArgumentException("quantile level must be in [0.5, 1), got " + p);
        }
        double central = 2 * p - 1;
        double lo = 0, hi = 1;
        while (centralProbability(hi, df) < central) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (centralProbability(mid, df) < central) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** Half the width of the 95 % interval of a mean of n values with sample sd {@code sd}; null when n &lt; 2. */
    public static Double ciHalfWidth(int n, Double sd) {
        return n < 2 || sd == null ? null : tQuantile((1 + LEVEL) / 2, n - 1) * sd / Math.sqrt(n);
    }

    /**
     * Two methods compared on the same seeds, d = a - b per seed.
     *
     * @param n         pairs (seeds where both have a value)
     * @param mean      mean difference
     * @param sd        sample sd of the differences, null when n &lt; 2
     * @param ciLow     lower end of the 95 % t interval of the mean difference, null when n &lt; 2
     * @param ciHigh    upper end, null when n &lt; 2
     * @param t         paired t statistic mean / (sd / sqrt(n)), null when n &lt; 2 or sd is 0
     * @param tP        its two-sided p-value with n - 1 degrees of freedom, null with t
     * @param wPlus     Wilcoxon's W+: the sum of the (mid-)ranks of |d| over positive d, zeros dropped
     * @param wilcoxonP the exact two-sided p-value of W+, null when every difference is 0
     * @param zeros     differences equal to 0, dropped from the Wilcoxon test (Wilcoxon's own rule)
     */
    public record Paired(int n, double mean, Double sd, Double ciLow, Double ciHigh, Double t, Double tP,
                         double wPlus, Double wilcoxonP, int zeros) {}

    /** The paired comparison of {@code a} and {@code b} (same length, index = seed); at least one pair. */
    public static Paired paired(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired values need the same, non-zero length: " + a.length + " and "
                    + b.length);
        }
        int n = a.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i] - b[i];
        }
        double mean = Arrays.stream(d).sum() / n;
        Double sd = null, low = null, high = null, t = null, tP = null;
        if (n >= 2) {
            double ss = 0;
            for (double x : d) ss += (x - mean) * (x - mean);
            sd = Math.sqrt(ss / (n - 1));
            double half = ciHalfWidth(n, sd);
            low = mean - half;
            high = mean + half;
            if (sd > 0) {
                t = mean / (sd / Math.sqrt(n));
                tP = tTwoSidedP(t, n - 1);
            }
        }
        double[] nonZero = Arrays.stream(d).filter(x -> x != 0).toArray();
        double[] ranks = midRanks(nonZero);
        double wPlus = 0;
        for (int i = 0; i < nonZero.length; i++) {
            if (nonZero[i] > 0) wPlus += ranks[i];
        }
        return new Paired(n, mean, sd, low, high, t, tP, wPlus,
                nonZero.length == 0 ? null : wilcoxonP(ranks, wPlus), n - nonZero.length);
    }

    /** Ranks of |x| from 1, tied values sharing the mean of their ranks. */
    static double[] midRanks(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) order[i] = i;
        Arrays.sort(order, (i, j) -> Double.compare(Math.abs(x[i]), Math.abs(x[j])));
        double[] ranks = new double[x.length];
        for (int i = 0; i < x.length; ) {
            int j = i;
            while (j + 1 < x.length && Math.abs(x[order[j + 1]]) == Math.abs(x[order[i]])) j++;
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = mid;
            i = j + 1;
        }
        return ranks;
    }

    /**
     * Exact two-sided p-value of W+ given the ranks: the share of the 2^n equally likely sign assignments whose W+
     * lies at least as far from its mean (the sum of the ranks over 2) as the observed one. Mid-ranks are multiples
     * of 1/2, so the count runs over integer sums of doubled ranks.
     */
    static double wilcoxonP(double[] ranks, double wPlus) {
        int[] doubled = Arrays.stream(ranks).mapToInt(r -> (int) Math.round(2 * r)).toArray();
        int total = Arrays.stream(doubled).sum();
        // ways[s]: sign assignments whose doubled W+ is s (doubles: 2^n overflows a long past n = 62)
        double[] ways = new double[total + 1];
        ways[0] = 1;
        for (int r : doubled) {
            for (int s = total; s >= r; s--) ways[s] += ways[s - r];
        }
        double observed = Math.abs(2 * wPlus - total / 2.0);
        double extreme = 0, all = 0;
        for (int s = 0; s <= total; s++) {
            all += ways[s];
            if (Math.abs(s - total / 2.0) >= observed - 1e-9) extreme += ways[s];
        }
        return Math.min(1, extreme / all);
    }
}
