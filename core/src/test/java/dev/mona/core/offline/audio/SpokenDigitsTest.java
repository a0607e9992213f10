package dev.mona.core.offline.audio;

import dev.mona.core.data.TaskData;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.offline.OfflineDataMissingException;
import dev.mona.core.offline.Splits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SpokenDigitsTest {
    @TempDir
    Path dir;

    static boolean espeakPresent() {
        try {
            return new ProcessBuilder("espeak-ng", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static Path writeWav(Path file, short[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            b.putShort(s);
        }
        AudioFormat f = new AudioFormat(22050, 16, 1, true, false);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(b.array()), f, samples.length),
                AudioFileFormat.Type.WAVE, file.toFile());
        return file;
    }

    @Test
    void wavSamplesComeBackScaled() throws IOException {
        WavReader.Clip c = WavReader.read(writeWav(dir.resolve("a.wav"), new short[]{0, 16384, -32768, 32767}));
        assertEquals(22050, c.sampleRate());
        assertArrayEquals(new float[]{0f, 0.5f, -1f, 32767 / 32768f}, c.samples());
    }

    @Test
    void spectrogramIsOneStandardisedImagePerClip() {
        float[] tone = new float[30_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 22050.0);
        }
        float[] s = SpokenDigits.spectrogram(tone);
        assertEquals(SpokenDigits.MEL_BANDS * SpokenDigits.FRAMES, s.length);
        double mean = 0;
        double square = 0;
        for (float v : s) {
            mean += v;
            square += v * v;
        }
        assertEquals(0, mean / s.length, 1e-5);
        assertEquals(1, square / s.length, 1e-3);
    }

    @Test
    void synthesisedSetIsBalancedShapedDeterministicAndHoldsOutVoices() {
        assumeTrue(espeakPresent(), "espeak-ng is not installed (run infra/setup.sh)");
        SpokenDigits digits = new SpokenDigits(new OfflineData(dir), "espeak-ng", 2);
        assertTrue(digits.variants().size() >= 50, "espeak-ng lists " + digits.variants().size() + " variants");
        assertTrue(digits.dialects().contains("en-us"));
        TaskData d = digits.taskData(2, 1, 1, 5);
        assertArrayEquals(new long[]{20, 1, 64, 64}, d.train().x().shape());
        assertArrayEquals(new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, Splits.classCounts(d.train().y().data(), 10));
        assertEquals(10, d.test().size());
        // cached clips: the second run reads the same files and gives the same inputs
        TaskData again = digits.taskData(2, 1, 1, 5);
        assertArrayEquals(d.test().x().data(), again.test().x().data());
        float[] x = d.train().x().data();
        double mean = 0;
        for (int i = 0; i < 4096; i++) {
            mean += x[i];
        }
        assertEquals(0, mean / 4096, 1e-4);
    }

    @Test
    void testVariantsAreDisjointFromTrainingVariants() {
        List<String> variants = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        List<SpokenDigits.Utterance> plan = SpokenDigits.plan(30, List.of("en-us"), variants.subList(0, 2),
                new SplittableRandom(1));
        Set<String> used = new HashSet<>();
        for (SpokenDigits.Utterance u : plan) {
            used.add(u.variant());
            assertTrue(u.speed() >= SpokenDigits.MIN_SPEED && u.speed() <= SpokenDigits.MAX_SPEED);
        }
        assertEquals(Set.of("a", "b"), used);
    }

    @Test
    void aMissingProgramIsATypedError() {
        SpokenDigits digits = new SpokenDigits(new OfflineData(dir), dir.resolve("no-espeak").toString(), 1);
        OfflineDataMissingException e = assertThrows(OfflineDataMissingException.class, digits::dialects);
        assertTrue(e.getMessage().contains("espeak-ng"));
        assertTrue(Files.notExists(dir.resolve("spoken-digits")));
    }
}
