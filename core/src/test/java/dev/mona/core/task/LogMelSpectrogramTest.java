package dev.mona.core.task;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FSD50K log-mel features against a direct DFT and the HTK mel formulas, computed independently here. */
class LogMelSpectrogramTest {

    @Test
    void mixedRadixFftMatchesTheDefinition() {
        for (int n : new int[]{1920, 60, 7, 1}) {
            SplittableRandom r = new SplittableRandom(n);
            double[] re = new double[n];
            double[] im = new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = r.nextDouble(-1, 1);
                im[i] = r.nextDouble(-1, 1);
            }
            double[] fr = re.clone();
            double[] fi = im.clone();
            new LogMelSpectrogram.Fft(n).transform(fr, fi);
            for (int k = 0; k < n; k += Math.max(1, n / 37)) {
                double sr = 0;
                double si = 0;
                for (int j = 0; j < n; j++) {
                    double a = -2 * Math.PI * ((long) j * k % n) / n;
                    sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                    si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
                }
                assertEquals(sr, fr[k], 1e-9 * n, "n " + n + " bin " + k);
                assertEquals(si, fi[k], 1e-9 * n, "n " + n + " bin " + k);
            }
        }
    }

    @Test
    void melPowerOfAFrameMatchesADirectComputation() {
        LogMelSpectrogram m = LogMelSpectrogram.FSD50K;
        assertEquals(1920, m.nFft());
        assertEquals(661, m.winLength());
        assertEquals(220, m.hop());
        int n = 22050;
        float[] audio = new float[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 22050.0) + 0.05 * r.nextDouble(-1, 1));
        }
        double[] mel = m.melPower(audio);
        assertEquals(96 * 101, mel.length);
        for (int t : new int[]{0, 50, 100}) {
            // frame t covers padded samples [t * 220, t * 220 + 1920) of the reflect-padded signal
            double[] frame = new double[1920];
            for (int i = 0; i < 661; i++) {
                int p = t * 220 + 629 + i - 960; // index into the unpadded signal
                if (p < 0) {
                    p = -p;
                } else if (p >= n) {
                    p = 2 * (n - 1) - p;
                }
                double hann = Math.pow(Math.sin(Math.PI * i / 661), 2); // = 0.5 - 0.5 cos(2 pi i / 661)
                frame[629 + i] = hann * audio[p];
            }
            double[] power = new double[961];
            for (int k = 0; k < 961; k++) {
                double sr = 0;
                double si = 0;
                for (int j = 629; j < 629 + 661; j++) {
                    sr += frame[j] * Math.cos(2 * Math.PI * j * k / 1920);
                    si -= frame[j] * Math.sin(2 * Math.PI * j * k / 1920);
                }
                power[k] = sr * sr + si * si;
            }
            // HTK mel points between 0 and 11025 Hz, triangles over the linear bin frequencies
            double top = 2595 * Math.log10(1 + 11025 / 700.0);
            for (int b : new int[]{0, 10, 40, 95}) {
                double lo = 700 * (Math.pow(10, top * b / 97 / 2595) - 1);
                double mid = 700 * (Math.pow(10, top * (b + 1) / 97 / 2595) - 1);
                double hi = 700 * (Math.pow(10, top * (b + 2) / 97 / 2595) - 1);
                double s = 0;
                for (int k = 0; k < 961; k++) {
                    double f = 11025.0 * k / 960;
                    double w = f <= lo || f >= hi ? 0 : f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
                    s += w * power[k];
                }
                assertEquals(s, mel[b * 101 + t], 1e-8 * Math.max(1, s), "band " + b + " frame " + t);
            }
        }
    }

    @Test
    void logMelIsFlooredAt80DbBelowThePeakAndCentred() {
        float[] audio = new float[22050];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 22050.0));
        }
        float[] f = LogMelSpectrogram.FSD50K.logMel(audio);
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (float v : f) {
            sum += v;
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(0, sum / f.length, 1e-4);
        assertEquals(80, max - min, 1e-3); // a pure tone leaves bands far below the peak: the floor is reached
        assertTrue(max > 0);
    }

    @Test
    void melScaleAndAPureToneLandInTheRightBand() {
        assertEquals(2595 * Math.log10(2), LogMelSpectrogram.hzToMel(700), 1e-9);
        assertEquals(1234.5, LogMelSpectrogram.melToHz(LogMelSpectrogram.hzToMel(1234.5)), 1e-9);
        LogMelSpectrogram s = new LogMelSpectrogram(22050, 1024, 1024, 345, 64, 8000,
                LogMelSpectrogram.Padding.ZERO);
        float[] tone = new float[22050];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 22050.0);
        }
        double[] spec = s.melPower(tone);
        assertEquals(64 * 64, spec.length);
        // band whose centre frequency is closest to 1000 Hz
        double top = LogMelSpectrogram.hzToMel(8000);
        int expected = 0;
        double best = Double.MAX_VALUE;
        for (int m = 0; m < 64; m++) {
            double centre = LogMelSpectrogram.melToHz(top * (m + 1) / 65);
            if (Math.abs(centre - 1000) < best) {
                best = Math.abs(centre - 1000);
                expected = m;
            }
        }
        int argmax = 0;
        for (int m = 0; m < 64; m++) {
            if (spec[m * 64 + 32] > spec[argmax * 64 + 32]) {
                argmax = m;
            }
        }
        assertTrue(Math.abs(argmax - expected) <= 1, "peak band " + argmax + ", expected about " + expected);
    }

    @Test
    void paddingChangesOnlyTheFramesThatReachPastTheSignal() {
        float[] audio = new float[4000];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) r.nextDouble(-1, 1);
        }
        LogMelSpectrogram reflect = new LogMelSpectrogram(8000, 256, 256, 100, 16, 4000,
                LogMelSpectrogram.Padding.REFLECT);
        LogMelSpectrogram zero = new LogMelSpectrogram(8000, 256, 256, 100, 16, 4000, LogMelSpectrogram.Padding.ZERO);
        double[] a = reflect.melPower(audio);
        double[] b = zero.melPower(audio);
        int frames = reflect.frames(audio.length);
        for (int t = 0; t < frames; t++) {
            boolean inside = t * 100 - 128 >= 0 && t * 100 + 128 <= audio.length;
            for (int m = 0; m < 16; m++) {
                if (inside) {
                    assertEquals(a[m * frames + t], b[m * frames + t], 0, "frame " + t);
                }
            }
        }
        assertTrue(a[0] != b[0] && a[frames - 1] != b[frames - 1], "the edge frames see the padding");
    }
}
