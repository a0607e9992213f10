package dev.mona.core.offline;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.TaskData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** DNA splice junctions from r-cran-mlbench as unpacked by infra/setup.sh. */
class DnaSpliceTest {
    @Test
    void readsTheUciSetOneHot() {
        DnaSplice dna = new DnaSplice(OfflineData.fromEnvironment());
        DataSplit all = dna.all();
        assertArrayEquals(new long[]{3186, 4, 60}, all.x().shape());
        // UCI Statlog DNA: 767 exon-intron, 765 intron-exon, 1654 neither
        assertArrayEquals(new int[]{767, 765, 1654}, Splits.classCounts(all.y().data(), 3));
        float[] x = all.x().data();
        for (int r = 0; r < 3186; r++) {
            for (int p = 0; p < 60; p++) {
                float s = 0;
                for (int c = 0; c < 4; c++) {
                    float v = x[(r * 4 + c) * 60 + p];
                    assertEquals(v, v == 0 ? 0 : 1);
                    s += v;
                }
                assertEquals(1f, s, "one nucleotide per position (row " + r + ", position " + p + ")");
            }
        }
        TaskData task = dna.taskData(7);
        assertEquals(1186, task.test().size());
        assertEquals(3186, task.train().size() + task.validation().size() + task.test().size());
        assertEquals(200, task.validation().size());
    }
}
