package dev.mona.activities;

import dev.mona.workflows.SweepRow;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.mona.activities.SweepRows.DARCY;
import static dev.mona.activities.SweepRows.DIGITS;
import static org.junit.jupiter.api.Assertions.*;

/** The statistics of a sweep and of several sweeps, on the hand-written sweep of {@link SweepRows}. */
class SweepStatsTest {
    private static final double T2 = 4.302653; // the 97.5 % quantile of t with 2 df (t-table: 4.303)

    @Test
    void summaryHasTheIntervalsTheValidationMetricAndTheRatio() {
        List<SweepSummary.Stats> stats = SweepSummary.stats(SweepRows.rows(), SweepRows.runs());
        SweepSummary.Stats ft = stats.get(0);
        assertEquals(List.of(DARCY, "FT"), List.of(ft.task(), ft.method()));
        assertEquals(T2 * 0.1 / Math.sqrt(3), ft.test().ci(), 1e-6);
        assertEquals(0.55, ft.validation().mean(), 1e-12);
        assertEquals(T2 * 0.1 / Math.sqrt(3), ft.validation().ci(), 1e-6);
        assertEquals(0, ft.gradRatio().n(), "FT computes no ratio");
        SweepSummary.Stats emb = stats.get(1);
        assertEquals(0, emb.validation().n());
        assertEquals(1, emb.validation().missing() - emb.test().missing() - 1,
                "two completed EMB runs without a record count as missing, beside the failed one");
        SweepSummary.Stats digitsMona = stats.get(5);
        assertEquals(List.of(DIGITS, "MONA"), List.of(digitsMona.task(), digitsMona.method()));
        assertEquals(0.2, digitsMona.gradRatio().median(), 1e-12);
        assertEquals(0.2, digitsMona.gradRatio().mean(), 1e-12);
        assertEquals(0.0, digitsMona.test().ci(), 0, "equal seeds: a zero-width interval");
        assertNull(stats.get(2).test().ci(), "one seed: no interval");
    }

    @Test
    void pairedDifferencesAreMonaMinusEveryOtherMethodBySeed() {
        List<SweepSummary.Difference> diffs = SweepSummary.paired(SweepRows.rows());
        // darcy: MONA has seed 0 only (vs FT and EMB); digits: EMB failed everywhere, so only vs FT
        assertEquals(List.of("FT", "EMB", "FT"), diffs.stream().map(SweepSummary.Difference::versus).toList());
        SweepSummary.Difference darcyFt = diffs.get(0);
        assertEquals(List.of(0L), darcyFt.seeds());
        assertEquals(0.3 - 0.5, darcyFt.stats().mean(), 1e-12);
        assertNull(darcyFt.stats().ciLow(), "one pair: no interval");
        // digits MONA 30/30/30 - FT 40/50/60 = -10, -20, -30: mean -20, sd 10, t = -20 / (10 / sqrt 3), df 2:
        // p = 1 - |t| / sqrt(2 + t^2); all negative: W+ = 0, exact p = 2 / 8
        SeedStatistics.Paired p = diffs.get(2).stats();
        assertEquals(List.of(0L, 1L, 2L), diffs.get(2).seeds());
        assertEquals(-20, p.mean(), 1e-12);
        assertEquals(-20 - T2 * 10 / Math.sqrt(3), p.ciLow(), 1e-5);
        assertEquals(-20 + T2 * 10 / Math.sqrt(3), p.ciHigh(), 1e-5);
        double t = -20 / (10 / Math.sqrt(3));
        assertEquals(t, p.t(), 1e-12);
        assertEquals(1 - Math.abs(t) / Math.sqrt(2 + t * t), p.tP(), 1e-12);
        assertEquals(0, p.wPlus(), 0);
        assertEquals(0.25, p.wilcoxonP(), 1e-12);
        assertEquals("MONA", SweepSummary.reference(SweepRows.rows()));
        assertEquals("emb", SweepSummary.reference(List.of(SweepRows.ok(DARCY, "ft", 0, "L2", 1, 1, 1),
                SweepRows.ok(DARCY, "emb", 0, "L2", 1, 1, 1))), "no MoNA: the last method");
    }

    @Test
    void tablesInEveryFormatSayWhichTestIsWhich() {
        List<SweepSummary.Stats> stats = SweepSummary.stats(SweepRows.rows(), SweepRows.runs());
        String csv = ResultTables.summary(stats, true).csv();
        assertTrue(csv.startsWith("task,method,metric,n,failed,missing,test_mean,test_sd,test_ci95_low,"), csv);
        assertTrue(csv.contains("\n" + DARCY + ",FT,RELATIVE_L2,3,0,0,0.6000,0.1000,0.3516,0.8484,3,0.5500,0.1000,"
                + "0.3016,0.7984,82.00,2.000,87.00,2.646,0,,\n"), csv);
        String text = ResultTables.summary(stats, false).text();
        assertTrue(text.contains("0.6000 ± 0.1000   [0.3516, 0.8484]"), text);
        ResultTables.Table paired = ResultTables.paired(SweepSummary.paired(SweepRows.rows()));
        assertTrue(paired.markdown().startsWith("| task | difference | metric | pairs | mean_diff | ci95_low | "
                + "ci95_high | paired_t | paired_t_p | wilcoxon_w_plus | wilcoxon_exact_p | zeros |\n"),
                paired.markdown());
        assertTrue(paired.csv().contains("\n" + DIGITS + ",MONA - FT,ERROR_RATE,3,-20.00,-44.84,4.841,-3.464,0.07418,"
                + "0.000,0.2500,0\n"), paired.csv());
        assertTrue(ResultTables.NOTES.contains("paired t: two-sided paired t-test")
                && ResultTables.NOTES.contains("Wilcoxon: exact two-sided Wilcoxon signed-rank"), ResultTables.NOTES);
    }

    @Test
    void comparisonShowsTheDifferingKeysAndChoosesOnValidationOnly() {
        // two alpha settings of MoNA on one task: sweep b has the lower validation metric, sweep a the lower test
        SweepRow a0 = SweepRows.ok(DARCY, "mona", 0, "RELATIVE_L2", 0.1, 80, 81);
        SweepRow a1 = SweepRows.ok(DARCY, "mona", 1, "RELATIVE_L2", 0.2, 80, 81);
        SweepRow b0 = new SweepRow(DARCY, "mona", 0, "b0", "completed", "RELATIVE_L2", 0.3, 80.0, 81.0, 2, "");
        SweepRow b1 = new SweepRow(DARCY, "mona", 1, "b1", "completed", "RELATIVE_L2", 0.4, 80.0, 81.0, 2, "");
        Map<String, String> alphaA = Map.of("mona.alpha", "0.01", "mona.lambda", "0.5", "lr", "0.001");
        Map<String, String> alphaB = Map.of("mona.alpha", "0.1", "mona.lambda", "0.5", "lr", "0.001");
        SweepComparison.Comparison c = SweepComparison.compare(List.of(
                new SweepComparison.Sweep("sweep-a", List.of(a0, a1), Map.of(
                        a0.runId(), new RunRecord(a0.runId(), 0.50, 0.01, List.of(), alphaA),
                        a1.runId(), new RunRecord(a1.runId(), 0.70, 0.03, List.of(), alphaA))),
                new SweepComparison.Sweep("sweep-b", List.of(b0, b1), Map.of(
                        "b0", new RunRecord("b0", 0.40, 0.2, List.of(), alphaB),
                        "b1", new RunRecord("b1", 0.60, 0.4, List.of(), alphaB)))));
        assertEquals(List.of("mona.alpha"), c.differingKeys(), "only the key that differs");
        assertEquals(2, c.lines().size());
        SweepComparison.Line a = c.lines().get(0), b = c.lines().get(1);
        assertFalse(a.best(), "the lower test metric does not choose");
        assertTrue(b.best(), "the lower validation metric does");
        assertEquals(Map.of("mona.alpha", "0.1"), b.config());
        assertEquals(0.5, b.validation().mean(), 1e-12);
        assertEquals(12.706205 * Math.sqrt(0.02) / Math.sqrt(2), b.validation().ci(), 1e-5);
        assertEquals(0.3, b.gradRatio().median(), 1e-12);
        String text = ResultTables.comparison(c, false).text();
        assertTrue(text.startsWith("task") && text.contains("mona.alpha"), text);
        assertTrue(text.lines().skip(2).findFirst().orElseThrow().trim().endsWith("*"), text);
        String csv = ResultTables.comparison(c, true).csv();
        assertTrue(csv.startsWith("task,method,sweep,mona.alpha,n,val_n,val_mean,"), csv);
        assertTrue(csv.contains(",sweep-b,0.1,2,2,0.5000,"), csv);
        assertTrue(csv.trim().endsWith(",true"), csv);
    }
}
