package dev.mona.core.offline.audio;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads mono 16-bit PCM WAV files with {@code javax.sound.sampled}, samples scaled to [-1, 1). */
public final class WavReader {
    private WavReader() {}

    /** A clip and its sample rate. */
    public record Clip(float[] samples, int sampleRate) {
    }

    /** The samples of {@code file}; a typed error when it is not mono 16-bit PCM. */
    public static Clip read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            if (f.getChannels() != 1 || f.getSampleSizeInBits() != 16
                    || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                throw new IllegalArgumentException(file + " is " + f + "; expected mono 16-bit signed PCM");
            }
            byte[] bytes = in.readAllBytes();
            float[] s = new float[bytes.length / 2];
            boolean big = f.isBigEndian();
            for (int i = 0; i < s.length; i++) {
                int lo = bytes[2 * i + (big ? 1 : 0)] & 0xff;
                int hi = bytes[2 * i + (big ? 0 : 1)];
                s[i] = (short) ((hi << 8) | lo) / 32768f;
            }
            return new Clip(s, (int) f.getSampleRate());
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalArgumentException(file + " is not a WAV file javax.sound can read: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
