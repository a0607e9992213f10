package dev.mona.core.offline;

import dev.mona.core.UserError;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Class-balanced selections as far as the classes allow, counts worked out by hand. */
class SplitsTest {
    @Test
    void equalSharesWhenEveryClassHoldsEnough() {
        assertArrayEquals(new int[]{4, 4, 4}, Splits.balancedCounts(new int[]{10, 10, 10}, 12, "d"));
        // 13 = 3 x 4 + 1: the remainder goes to the first class
        assertArrayEquals(new int[]{5, 4, 4}, Splits.balancedCounts(new int[]{10, 10, 10}, 13, "d"));
    }

    @Test
    void aSmallClassGivesAllItHasAndTheOthersShareTheRest() {
        // SpamAssassin's groups at source.samples = 800: 1,600 / 5 = 320 > 250, so hard-ham gives 250 and the
        // other four share 1,350 = 4 x 337 + 2
        assertArrayEquals(new int[]{338, 338, 250, 337, 337},
                Splits.balancedCounts(new int[]{2500, 1400, 250, 500, 1396}, 1600, "d"));
        // 30 / 3 = 10 fixes the classes of 2 and 5; the last class takes the other 23
        assertArrayEquals(new int[]{2, 23, 5}, Splits.balancedCounts(new int[]{2, 100, 5}, 30, "d"));
        // a class holding exactly the share is filled: 9 / 3 = 3
        assertArrayEquals(new int[]{3, 3, 3}, Splits.balancedCounts(new int[]{3, 7, 9}, 9, "d"));
        // everything there is
        assertArrayEquals(new int[]{2, 100, 5}, Splits.balancedCounts(new int[]{2, 100, 5}, 107, "d"));
        assertArrayEquals(new int[]{0, 0, 0}, Splits.balancedCounts(new int[]{2, 100, 5}, 0, "d"));
    }

    @Test
    void askingForMoreThanExistsIsATypedErrorNamingTheMaximum() {
        NotEnoughSamplesException e = assertThrows(NotEnoughSamplesException.class,
                () -> Splits.balancedCounts(new int[]{2, 100, 5}, 108, "tiny set"));
        assertEquals(108, e.asked());
        assertEquals(107, e.available());
        assertEquals(UserError.Kind.IMPOSSIBLE_SIZE, e.kind());
        assertTrue(e.getMessage().contains("tiny set") && e.getMessage().contains("108")
                && e.getMessage().contains("at most 107"), e.getMessage());
    }

    @Test
    void selectionHonoursTheCountsAndTheSeed() {
        // classes 0, 1, 2 hold 2, 6, 4 samples
        float[] y = {1, 0, 1, 2, 1, 2, 1, 0, 2, 1, 2, 1};
        float[] x = new float[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        DataSplit split = new DataSplit(new HostTensor(x, new long[]{x.length}), new HostTensor(y, new long[]{y.length}));
        DataSplit a = Splits.balanced(split, 3, 9, 7, "d");
        // 9 / 3 = 3 > 2: class 0 gives 2, then 7 = 2 x 3 + 1 over classes 1 and 2
        assertArrayEquals(new int[]{2, 4, 3}, Splits.classCounts(a.y().data(), 3));
        assertArrayEquals(a.x().data(), Splits.balanced(split, 3, 9, 7, "d").x().data(), 0f);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(y[(int) a.x().data()[i]], a.y().data()[i], 0f, "rows keep their labels");
        }
    }
}
