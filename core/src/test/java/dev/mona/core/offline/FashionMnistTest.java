package dev.mona.core.offline;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.TaskData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Fashion-MNIST as installed by infra/setup.sh (CI runs it before the tests). */
class FashionMnistTest {
    static FashionMnist fashion;

    @BeforeAll
    static void load() {
        fashion = new FashionMnist(OfflineData.fromEnvironment());
    }

    @Test
    void theRealFilesHoldSixtyAndTenThousandBalancedImages() {
        DataSplit test = fashion.test();
        assertArrayEquals(new long[]{FashionMnist.TEST_IMAGES, 1, 28, 28}, test.x().shape());
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                Splits.classCounts(test.y().data(), 10));
        // the first test image is an ankle boot (class 9), its corner pixel is black
        assertEquals(9f, test.y().data()[0]);
        assertEquals(-FashionMnist.MEAN / FashionMnist.STD, test.x().data()[0], 1e-6);
        TaskData task = fashion.taskData(5000, 1);
        assertEquals(55_000, task.train().size());
        assertEquals(5_000, task.validation().size());
        // the training mean in [0,1] is the documented constant
        float[] x = task.train().x().data();
        double mean = 0;
        for (float v : x) {
            mean += v * FashionMnist.STD + FashionMnist.MEAN;
        }
        assertEquals(FashionMnist.MEAN, mean / x.length, 2e-3);
    }

    @Test
    void sourceAndProbeSetsAreBalancedAndDeterministic() {
        DataSplit probe = fashion.probeSet(500, 3);
        assertArrayEquals(new int[]{50, 50, 50, 50, 50, 50, 50, 50, 50, 50}, Splits.classCounts(probe.y().data(), 10));
        assertArrayEquals(probe.x().data(), fashion.probeSet(500, 3).x().data());
        assertEquals(5000, fashion.sourceSet(5000, 3).size());
    }

    @Test
    void aMissingDirectoryIsATypedError(@TempDir Path empty) throws IOException {
        Files.createDirectories(empty.resolve("x"));
        assertThrows(OfflineDataMissingException.class, () -> new FashionMnist(new OfflineData(empty)));
    }
}
