package dev.mona.activities;

import dev.mona.workflows.SweepRow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written sweep for the figure and report tests: two tasks x three methods x seeds 0-2, with failed runs and
 * one grid point without a row. Expected summaries (computed by hand, sample sd with n - 1):
 * darcy FT test 0.5/0.6/0.7 = 0.6 ± 0.1, probe before 80/82/84 = 82 ± 2, after 85/86/90 = 87 ± sqrt(7);
 * darcy EMB 0.4/failed/0.8 = 0.6 ± sqrt(0.08); darcy MONA 0.3/failed/no row = 0.3, n 1, 1 failed, 1 missing;
 * digits FT 40/50/60 = 50 ± 10; digits EMB all failed; digits MONA 30/30/30 = 30 ± 0.
 * Run records ({@link #runs}): darcy FT validation 0.45/0.55/0.65 = 0.55 ± 0.1, 95 % CI 0.55 ± 4.302653 * 0.1 /
 * sqrt(3) = [0.3016, 0.7984]; darcy MONA validation 0.25, grad_ratio 0.02; digits MONA grad_ratio 0.1/0.3/0.2
 * (median 0.2); darcy FT curves over 2 epochs; every other completed run has no record (missing).
 */
final class SweepRows {
    private SweepRows() {}

    static final String DARCY = "offline-pde-darcy";
    static final String DIGITS = "offline-spoken-digits";

    static SweepRow ok(String task, String method, long seed, String metric, double test, double before,
                       double after) {
        return new SweepRow(task, method, seed, "transfer-" + task + "-" + method.toLowerCase() + "-" + seed,
                "completed", metric, test, before, after, 2, "");
    }

    static SweepRow failed(String task, String method, long seed) {
        return new SweepRow(task, method, seed, "transfer-" + task + "-" + method.toLowerCase() + "-" + seed,
                "failed", "", null, null, null, 0, "stage fineTune failed: <out of memory> & more");
    }

    static RunRecord record(SweepRow row, Double validation, Double gradRatio, List<RunRecord.EpochPoint> curve) {
        return new RunRecord(row.runId(), validation, gradRatio, curve, Map.of("mona.alpha", "0.01"));
    }

    static Map<String, RunRecord> runs() {
        List<SweepRow> rows = rows();
        Map<String, RunRecord> out = new LinkedHashMap<>();
        double[] val = {0.45, 0.55, 0.65};
        for (int i = 0; i < 3; i++) {
            out.put(rows.get(i).runId(), record(rows.get(i), val[i], null, List.of(
                    new RunRecord.EpochPoint(1, 1.0 + i, val[i] + 0.1), new RunRecord.EpochPoint(2, 0.5 + i, val[i]))));
        }
        out.put(rows.get(6).runId(), record(rows.get(6), 0.25, 0.02, List.of()));
        double[] ratio = {0.1, 0.3, 0.2};
        for (int i = 0; i < 3; i++) {
            out.put(rows.get(14 + i).runId(), record(rows.get(14 + i), null, ratio[i], List.of()));
        }
        return out;
    }

    static List<SweepRow> rows() {
        return List.of(
                ok(DARCY, "FT", 0, "RELATIVE_L2", 0.5, 80, 85),
                ok(DARCY, "FT", 1, "RELATIVE_L2", 0.6, 82, 86),
                ok(DARCY, "FT", 2, "RELATIVE_L2", 0.7, 84, 90),
                ok(DARCY, "EMB", 0, "RELATIVE_L2", 0.4, 81, 83),
                failed(DARCY, "EMB", 1),
                ok(DARCY, "EMB", 2, "RELATIVE_L2", 0.8, 83, 85),
                ok(DARCY, "MONA", 0, "RELATIVE_L2", 0.3, 80, 81),
                failed(DARCY, "MONA", 1),
                ok(DIGITS, "FT", 0, "ERROR_RATE", 40, 10, 20),
                ok(DIGITS, "FT", 1, "ERROR_RATE", 50, 10, 30),
                ok(DIGITS, "FT", 2, "ERROR_RATE", 60, 10, 40),
                failed(DIGITS, "EMB", 0),
                failed(DIGITS, "EMB", 1),
                failed(DIGITS, "EMB", 2),
                ok(DIGITS, "MONA", 0, "ERROR_RATE", 30, 12, 14),
                ok(DIGITS, "MONA", 1, "ERROR_RATE", 30, 12, 14),
                ok(DIGITS, "MONA", 2, "ERROR_RATE", 30, 12, 14));
    }
}
