package dev.mona.activities;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The one summary.csv writer: a stage replaces only its own rows; a resumed stage 1 keeps those its checkpoint covers. */
class SummaryCsvTest {
    @Test
    void aResumedStageOneKeepsTheRowsItsCheckpointCoversAndNoOtherStagesRows() {
        String first = SummaryCsv.replace(null, "align", List.of(SummaryCsv.align(10, 2.5, 0.01, 1.0, 1),
                SummaryCsv.align(20, 2.0, 0.01, 1.0, 1), SummaryCsv.align(30, 1.5, 0.01, 1.0, 1)));
        String withFineTune = first + "finetune,1,,0.5,0.25,0.001,3.000,1\n";
        // attempt 2 resumed from the checkpoint of step 20: step 30 is recomputed, fine-tuning's row stays
        String resumed = SummaryCsv.replace(withFineTune, "align", 20, List.of(SummaryCsv.align(30, 1.25, 0.01, 2.0,
                2)));
        assertEquals(List.of(SummaryCsv.HEADER, "align,,10,2.50000,,0.0100000,1.000,1",
                "align,,20,2.00000,,0.0100000,1.000,1", "finetune,1,,0.5,0.25,0.001,3.000,1",
                "align,,30,1.25000,,0.0100000,2.000,2"), resumed.lines().toList());
        // a fresh stage 1 replaces every row of its own
        assertEquals(List.of(SummaryCsv.HEADER, "finetune,1,,0.5,0.25,0.001,3.000,1"),
                SummaryCsv.replace(resumed, "align", List.of()).lines().toList());
    }
}
