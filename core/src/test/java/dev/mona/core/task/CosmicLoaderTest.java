package dev.mona.core.task;

import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import dev.mona.core.io.formats.NpyWriter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ORCA's Cosmic preprocessing on small deepCR archives written in the published layout. */
class CosmicLoaderTest {
    private static final int SIZE = 200;

    static double image(int n, int r, int c) {
        return n * 100_000 + r * 1000 + c;
    }

    static boolean mask(int r, int c) {
        return (r + c) % 7 == 0;
    }

    static boolean ignored(int r) {
        return r == 100;
    }

    /** (3, SIZE, SIZE) float32: image, cosmic-ray mask, ignore mask. */
    static byte[] imageNpy(int n, int channels, int size) throws IOException {
        double[] v = new double[channels * size * size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                v[r * size + c] = image(n, r, c);
                v[size * size + r * size + c] = mask(r, c) ? 1 : 0;
                if (channels == 3) {
                    v[2 * size * size + r * size + c] = ignored(r) ? 1 : 0;
                }
            }
        }
        return NpyWriter.npy(v, new long[]{channels, size, size}, "<f4", false, 1);
    }

    static void tar(Path f, Map<String, byte[]> entries) throws IOException {
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(f))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                t.putArchiveEntry(te);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
    }

    static void write(Path dir, int badSize) throws IOException {
        Map<String, byte[]> train = new LinkedHashMap<>();
        // GAL field 10760_2: six images, exposures 1 and 2 with sky levels 10 and 20
        for (int n = 0; n < 6; n++) {
            train.put("npy_train/f435w/10760/2/" + (1 + n % 2) + "_img" + n + ".npy",
                    imageNpy(n, n == 5 ? 2 : 3, n == 0 ? badSize : SIZE));
        }
        train.put("npy_train/f435w/10760/2/sky.npy", NpyWriter.npy(new double[]{10, 20}, new long[]{2}, "<f8", false, 1));
        // a globular-cluster field and another filter: both skipped
        train.put("npy_train/f435w/10595/2/1_gc.npy", imageNpy(50, 3, SIZE));
        train.put("npy_train/f814w/10760/2/1_red.npy", imageNpy(60, 3, SIZE));
        tar(dir.resolve("deepCR.ACS-WFC.train.tar"), train);
        Map<String, byte[]> test = new LinkedHashMap<>();
        test.put("npy_test/f435w/13737/3/1_t0.npy", imageNpy(7, 3, SIZE));
        test.put("npy_test/f435w/13737/3/sky.npy", NpyWriter.npy(new double[]{30}, new long[]{1}, "<f8", false, 1));
        tar(dir.resolve("deepCR.ACS-WFC.test.tar"), test);
    }

    @Test
    void galaxyFieldsAreCroppedMaskedAndSkyAugmented(@TempDir Path dir) throws IOException {
        write(dir, SIZE);
        LoadedTask loaded = TaskCatalog.load("nb360-cosmic", dir, LoadOptions.defaults());
        assertEquals(0.0, loaded.scoreThreshold(), "ORCA's inv_auroc thresholds the logits at 0");
        TaskData d = loaded.data();
        // six GAL f435w images: round(0.1 * 6) = 1 carved as validation (at most the test size, 1)
        assertEquals(5, d.train().size());
        assertEquals(1, d.validation().size());
        assertEquals(1, d.test().size());
        assertArrayEquals(new long[]{1, 1, 128, 128}, d.test().x().shape());
        assertArrayEquals(new long[]{1, 1, 128, 128}, d.test().y().shape());
        float[] x = d.test().x().data();
        float[] y = d.test().y().data();
        // crop rows and columns 64..191; no augmentation in test
        assertEquals(image(7, 64, 64), x[0], 0.01);
        assertEquals(image(7, 66, 69), x[2 * 128 + 5], 0.01);
        assertEquals(image(7, 191, 191), x[127 * 128 + 127], 0.01);
        // mask with ignored pixels (row 100 -> crop row 36) set to 0
        assertEquals(0f, y[36 * 128 + 4], "mask pixel (100, 68) is in the ignored row");
        assertEquals(1f, y[35 * 128 + 5], "mask pixel (99, 69)");
        for (int r = 0; r < 128; r++) {
            for (int c = 0; c < 128; c++) {
                float expected = mask(r + 64, c + 64) && !ignored(r + 64) ? 1f : 0f;
                assertEquals(expected, y[r * 128 + c], "pixel " + r + ", " + c);
            }
        }

        // training images carry one sky offset each: sky[k - 1] * U(-0.9, 3), the same for every pixel
        float[] xt = d.train().x().data();
        int shifted = 0;
        for (int s = 0; s < d.train().size(); s++) {
            double v0 = xt[s * 128 * 128];
            int n = (int) Math.round((v0 - image(0, 64, 64)) / 100_000.0);
            double offset = v0 - image(n, 64, 64);
            double sky = n % 2 == 0 ? 10 : 20;
            assertTrue(offset >= -0.9 * sky - 1e-3 && offset <= 3 * sky + 1e-3, "offset " + offset);
            assertEquals(image(n, 70, 80) + offset, xt[s * 128 * 128 + 6 * 128 + 16], 0.1);
            shifted += Math.abs(offset) > 0.01 ? 1 : 0;
        }
        assertTrue(shifted >= 4, "sky augmentation applied to training images, " + shifted + " of 5 shifted");
        // validation images are not augmented: values are exact image values
        double v = d.validation().x().data()[0];
        assertEquals(0, (v - image(0, 64, 64)) % 100_000, 1e-6);
    }

    @Test
    void anImageSmallerThanTheCropIsCorrupt(@TempDir Path dir) throws IOException {
        write(dir, 150);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> TaskCatalog.load("nb360-cosmic", dir, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("1_img0.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 150, 150]"), e.getMessage());
    }
}
