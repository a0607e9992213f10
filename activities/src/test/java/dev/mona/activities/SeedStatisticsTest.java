package dev.mona.activities;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The t quantiles and p-values against published tables and closed forms; Wilcoxon against hand enumerations. */
class SeedStatisticsTest {
    @Test
    void tQuantilesMatchThePublishedTable() {
        // two-sided 95 % critical values, e.g. any statistics text's t-table (3 decimals)
        int[] df = {1, 2, 3, 4, 5, 9, 10, 19, 29, 30};
        double[] table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.262, 2.228, 2.093, 2.045, 2.042};
        for (int i = 0; i < df.length; i++) {
            assertEquals(table[i], SeedStatistics.tQuantile(0.975, df[i]), 5e-4, "df " + df[i]);
        }
        // one-sided 95 % and 99.5 % rows of the same table
        assertEquals(2.132, SeedStatistics.tQuantile(0.95, 4), 5e-4);
        assertEquals(4.604, SeedStatistics.tQuantile(0.995, 4), 5e-4);
        assertEquals(0, SeedStatistics.tQuantile(0.5, 7), 1e-9);
    }

    @Test
    void tPValuesMatchClosedForms() {
        // df 1 is the Cauchy distribution: P(|T| >= t) = 1 - 2 atan(t) / pi
        for (double t : new double[]{0.3, 1, 2.5, 40}) {
            assertEquals(1 - 2 * Math.atan(t) / Math.PI, SeedStatistics.tTwoSidedP(t, 1), 1e-12, "t " + t);
        }
        // df 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2)
        for (double t : new double[]{0.3, 1, 2.5, 40}) {
            assertEquals(1 - t / Math.sqrt(2 + t * t), SeedStatistics.tTwoSidedP(t, 2), 1e-12, "t " + t);
        }
        assertEquals(1, SeedStatistics.tTwoSidedP(0, 5), 1e-12);
        assertEquals(SeedStatistics.tTwoSidedP(-2, 6), SeedStatistics.tTwoSidedP(2, 6), 0, "symmetric");
        // the table's critical value gives p = 0.05 at every df
        assertEquals(0.05, SeedStatistics.tTwoSidedP(2.776445, 4), 1e-6);
        assertEquals(0.05, SeedStatistics.tTwoSidedP(2.262157, 9), 1e-6);
    }

    @Test
    void confidenceIntervalOfAMean() {
        // 5 seeds, sd 1: 2.776 / sqrt(5)
        assertEquals(2.776445 / Math.sqrt(5), SeedStatistics.ciHalfWidth(5, 1.0), 1e-5);
        assertNull(SeedStatistics.ciHalfWidth(1, null), "no interval from one seed");
    }

    @Test
    void pairedTTestByHand() {
        // d = 1, 2, 3, 4, 5 over 5 seeds: mean 3, sd sqrt(2.5), t = 3 / sqrt(0.5) = 4.2426, df 4
        SeedStatistics.Paired p = SeedStatistics.paired(new double[]{2, 4, 6, 8, 10}, new double[]{1, 2, 3, 4, 5});
        assertEquals(5, p.n());
        assertEquals(3, p.mean(), 1e-12);
        assertEquals(Math.sqrt(2.5), p.sd(), 1e-12);
        assertEquals(3 / Math.sqrt(0.5), p.t(), 1e-12);
        double half = 2.776445 * Math.sqrt(0.5);
        assertEquals(3 - half, p.ciLow(), 1e-5);
        assertEquals(3 + half, p.ciHigh(), 1e-5);
        // df 4 closed form: A(t) = sin th (1 + cos^2 th / 2), th = atan(t / 2)
        double th = Math.atan(p.t() / 2);
        assertEquals(1 - Math.sin(th) * (1 + Math.cos(th) * Math.cos(th) / 2), p.tP(), 1e-12);
        assertEquals(0.01324, p.tP(), 1e-5);
        // all five differences positive: W+ = 15, only it and W+ = 0 as extreme, p = 2 / 32
        assertEquals(15, p.wPlus(), 0);
        assertEquals(2 / 32.0, p.wilcoxonP(), 1e-12);
        assertEquals(0, p.zeros());
    }

    @Test
    void wilcoxonEnumeratedByHand() {
        // d = 1, -2, 3, 4, 5: W+ = 13 of 15, mean 7.5; sums >= 13 are 13, 14, 15 (complements {}, {1}, {2}) and
        // as many <= 2 on the other side: 6 of 32
        SeedStatistics.Paired p = SeedStatistics.paired(new double[]{1, -2, 3, 4, 5}, new double[5]);
        assertEquals(13, p.wPlus(), 0);
        assertEquals(6 / 32.0, p.wilcoxonP(), 1e-12);
    }

    @Test
    void wilcoxonTiesTakeMidRanksAndZerosAreDropped() {
        // d = 1, 1, -2, 3, 0: the zero is dropped; |d| ranks 1.5, 1.5, 3, 4; W+ = 7 of 10, mean 5.
        // The 16 sign assignments give W+ = 0, 1.5, 1.5, 3, 3, 4, 4.5, 4.5, 5.5, 5.5, 6, 7, 7, 8.5, 8.5, 10;
        // |W+ - 5| >= 2 for 0, 1.5 x2, 3 x2, 7 x2, 8.5 x2, 10: 10 of 16
        SeedStatistics.Paired p = SeedStatistics.paired(new double[]{1, 1, -2, 3, 0}, new double[5]);
        assertArrayEquals(new double[]{1.5, 1.5, 3, 4}, SeedStatistics.midRanks(new double[]{1, 1, -2, 3}), 0);
        assertEquals(7, p.wPlus(), 0);
        assertEquals(10 / 16.0, p.wilcoxonP(), 1e-12);
        assertEquals(1, p.zeros());
        assertEquals(5, p.n(), "the t-test keeps the zero");
    }

    @Test
    void degenerateCases() {
        SeedStatistics.Paired same = SeedStatistics.paired(new double[]{1, 2}, new double[]{1, 2});
        assertNull(same.t(), "no t statistic when every difference is equal");
        assertNull(same.wilcoxonP(), "no Wilcoxon test when every difference is 0");
        assertEquals(2, same.zeros());
        SeedStatistics.Paired one = SeedStatistics.paired(new double[]{3}, new double[]{1});
        assertNull(one.ciLow());
        assertEquals(1.0, one.wilcoxonP(), 1e-12, "one pair: W+ = 1 or 0, both as extreme");
        assertThrows(IllegalArgumentException.class, () -> SeedStatistics.paired(new double[]{1}, new double[0]));
    }
}
