package dev.mona.activities;

import dev.mona.core.method.MonaAligner;
import dev.mona.core.method.Stage1Step;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The one summary.csv writer: a stage replaces only its own rows; a resumed stage 1 keeps those its checkpoint covers. */
class SummaryCsvTest {
    private static final String EMPTY = ",".repeat(SummaryCsv.STAGE1_COLUMNS.size());

    @Test
    void aResumedStageOneKeepsTheRowsItsCheckpointCoversAndNoOtherStagesRows() {
        String first = SummaryCsv.replace(null, "align", List.of(SummaryCsv.align(10, 2.5, 0.01, 1.0, 1, null),
                SummaryCsv.align(20, 2.0, 0.01, 1.0, 1, null), SummaryCsv.align(30, 1.5, 0.01, 1.0, 1, null)));
        // a fine-tuning row written before the diagnostic columns existed
        String withFineTune = first + "finetune,1,,0.5,0.25,0.001,3.000,1\n";
        // attempt 2 resumed from the checkpoint of step 20: step 30 is recomputed, fine-tuning's row stays
        String resumed = SummaryCsv.replace(withFineTune, "align", 20, List.of(SummaryCsv.align(30, 1.25, 0.01, 2.0,
                2, Stage1Step.orca(30, 1.25))));
        assertEquals(List.of(SummaryCsv.HEADER, "align,,10,2.50000,,0.0100000,1.000,1" + EMPTY,
                "align,,20,2.00000,,0.0100000,1.000,1" + EMPTY, "finetune,1,,0.5,0.25,0.001,3.000,1" + EMPTY,
                "align,,30,1.25000,,0.0100000,2.000,2,,,,1.25000,,,,,,"), resumed.lines().toList());
        // a fresh stage 1 replaces every row of its own
        assertEquals(List.of(SummaryCsv.HEADER, "finetune,1,,0.5,0.25,0.001,3.000,1" + EMPTY),
                SummaryCsv.replace(resumed, "align", List.of()).lines().toList());
    }

    @Test
    void aMonaRowCarriesItsLossesGradientNormsRatioAndCosineUnderTheirHeaders() {
        var meta = new MonaAligner.MetaStep(2.0, -0.5, 0.25, -0.75, 0.5, -1.0, 0.4, 0.1, 0.3);
        String csv = SummaryCsv.replace(null, "align", List.of(SummaryCsv.align(1, 1.8, 1e-3, 0.5, 1,
                Stage1Step.mona(1, meta))));
        List<String> lines = csv.lines().toList();
        String[] header = lines.get(0).split(",", -1);
        String[] row = lines.get(1).split(",", -1);
        assertEquals(header.length, row.length);
        java.util.Map<String, String> byName = new java.util.HashMap<>();
        for (int i = 0; i < header.length; i++) {
            byName.put(header[i], row[i]);
        }
        assertEquals(2.0, Double.parseDouble(byName.get("l_in")));
        assertEquals(0.25, Double.parseDouble(byName.get("l_align")));
        assertEquals(-0.75, Double.parseDouble(byName.get("l_unif")));
        assertEquals("", byName.get("l_otdd"));
        assertEquals(0.4, Double.parseDouble(byName.get("grad_direct")));
        assertEquals(0.1, Double.parseDouble(byName.get("grad_knowledge")));
        assertEquals(0.25, Double.parseDouble(byName.get("grad_ratio")), 1e-6);
        assertEquals(0.3, Double.parseDouble(byName.get("grad_cosine")));
        assertEquals(0.5, Double.parseDouble(byName.get("align_before")));
        assertEquals(-1.0, Double.parseDouble(byName.get("unif_before")));
        assertEquals("1.80000", byName.get("train_loss"));
    }
}
