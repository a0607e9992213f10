package dev.mona.cli;

import dev.mona.activities.RunRecord;
import dev.mona.workflows.SweepRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mona results --merge}: how the rows of several sweeps become one study (the CLI run is in CliVerbsTest). */
class ResultsMergeTest {
    private final Map<String, RunRecord> runs = new HashMap<>();

    private List<SweepRow> sweep(String name, String method, Map<String, String> config, String status) {
        List<SweepRow> out = new ArrayList<>();
        for (long seed = 0; seed < 2; seed++) {
            String id = name + "-" + method + "-s" + seed;
            out.add(new SweepRow("darcy", method, seed, id, status, "RELATIVE_L2", 0.2 + seed, 14.0, 15.0, 8, ""));
            if (status.equals("completed")) {
                runs.put(id, new RunRecord(id, 0.2, null, List.of(), config));
            }
        }
        return out;
    }

    @Test
    void aCellHeldTwiceWithAnotherConfigurationBecomesAVariantOfItsMethod() {
        List<SweepRow> study = new ArrayList<>(sweep("study", "ft", Map.of("lr", "0.002"), "completed"));
        study.addAll(sweep("study", "mona", Map.of("lr", "0.002", "mona.alpha", "0.1", "mona.lambda", "1"),
                "completed"));
        List<SweepRow> selected = sweep("selected", "mona", Map.of("lr", "0.002", "mona.alpha", "0.1",
                "mona.lambda", "0.1"), "completed");
        List<SweepRow> orca = sweep("orca", "orca", Map.of("lr", "0.002", "orca.source-samples", "1000"),
                "completed");
        List<SweepRow> rows = ResultsCommand.mergeRows(List.of("S", "T", "U"), List.of(selected, study, orca), runs);
        assertEquals(List.of("mona", "mona", "ft", "ft", "mona[mona.lambda=1]", "mona[mona.lambda=1]", "orca", "orca"),
                rows.stream().map(SweepRow::method).toList());
        assertEquals("study-mona-s1", rows.get(5).runId());
        assertEquals(1.2, rows.get(5).testMetric());
    }

    @Test
    void theSameRunsTwiceOrUnexplainedOnesAreRefused() {
        Map<String, String> config = Map.of("lr", "0.002");
        List<SweepRow> a = sweep("a", "emb", config, "completed");
        CliException same = assertThrows(CliException.class,
                () -> ResultsCommand.mergeRows(List.of("A", "B"), List.of(a, sweep("b", "emb", config, "completed")),
                        runs));
        assertEquals(ExitCodes.BAD_INPUT, same.exitCode());
        assertTrue(same.getMessage().contains("A and B both hold darcy / emb / seed 0 with the same configuration"),
                same.getMessage());
        CliException failed = assertThrows(CliException.class, () -> ResultsCommand.mergeRows(List.of("A", "C"),
                List.of(a, sweep("c", "emb", config, "failed")), runs));
        assertTrue(failed.getMessage().contains("no manifest"), failed.getMessage());
    }

    @Test
    void theVariantNamesEveryKeyWhoseValuesNeverCoincide() {
        assertEquals("emb.predictor=false,lr=0.001", ResultsCommand.variant(
                List.of(Map.of("lr", "0.002", "emb.predictor", "true"), Map.of("lr", "0.003", "emb.predictor", "true")),
                List.of(Map.of("lr", "0.001", "emb.predictor", "false"))));
        assertEquals("x=-", ResultsCommand.variant(List.of(Map.of("x", "1")), List.of(Map.of())));
        assertNull(ResultsCommand.variant(List.of(Map.of("lr", "1"), Map.of("lr", "2")),
                List.of(Map.of("lr", "2"), Map.of("lr", "3"))));
    }

    @Test
    void aRunSeveralSweepsReportCountsOnce() {
        // two studies that share their FT baseline: each sweep's FT children are the same runs (same ids)
        Map<String, String> ft = Map.of("lr", "0.002");
        List<SweepRow> a = new ArrayList<>(sweep("base", "ft", ft, "completed"));
        a.addAll(sweep("a", "mona", Map.of("lr", "0.002", "mona.lambda", "0.1"), "completed"));
        List<SweepRow> b = new ArrayList<>(sweep("base", "ft", ft, "completed"));
        b.addAll(sweep("b", "mona", Map.of("lr", "0.002", "mona.lambda", "1"), "completed"));
        List<SweepRow> rows = ResultsCommand.mergeRows(List.of("A", "B"), List.of(a, b), runs);
        assertEquals(List.of("ft", "ft", "mona", "mona", "mona[mona.lambda=1]", "mona[mona.lambda=1]"),
                rows.stream().map(SweepRow::method).toList());
        assertEquals(List.of("base-ft-s0", "base-ft-s1"), rows.subList(0, 2).stream().map(SweepRow::runId).toList());
        // a sweep whose every run an earlier one holds adds nothing
        assertEquals(a, ResultsCommand.mergeRows(List.of("A", "C"), List.of(a, List.copyOf(a)), runs));
    }
}
