package dev.mona.core.offline.audio;

import dev.mona.core.offline.Fft;

/**
 * Log-mel spectrogram of a fixed-length clip: Hann-windowed frames of {@code fftSize} samples every
 * {@code hop} samples (frames centred on {@code t * hop}, the clip zero-padded at both ends), power spectrum,
 * {@code melBands} triangular filters on the HTK mel scale between 0 Hz and {@code maxHz}, then
 * {@code 10 log10(power + 1e-10)}.
 *
 * @param sampleRate samples per second
 * @param fftSize    frame length (a power of two)
 * @param hop        samples between frame centres
 * @param frames     number of frames
 * @param melBands   number of mel filters
 * @param maxHz      upper edge of the highest filter
 */
public record LogMelSpectrogram(int sampleRate, int fftSize, int hop, int frames, int melBands, double maxHz) {

    /** Mel value of a frequency (HTK). */
    public static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    /** Frequency of a mel value (HTK). */
    public static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** Filter weights {@code [band][bin]} over the {@code fftSize / 2 + 1} spectrum bins. */
    public double[][] filterBank() {
        int bins = fftSize / 2 + 1;
        double[] edges = new double[melBands + 2];
        double top = hzToMel(maxHz);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(top * i / (melBands + 1));
        }
        double[][] bank = new double[melBands][bins];
        for (int m = 0; m < melBands; m++) {
            double lo = edges[m];
            double mid = edges[m + 1];
            double hi = edges[m + 2];
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRate / fftSize;
                if (f > lo && f < hi) {
                    bank[m][k] = f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
                }
            }
        }
        return bank;
    }

    /** The spectrogram {@code [band][frame]} of {@code clip}, flattened band-major ({@code melBands x frames}). */
    public float[] compute(float[] clip) {
        Fft fft = new Fft(fftSize);
        double[][] bank = filterBank();
        double[] window = new double[fftSize];
        for (int i = 0; i < fftSize; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / fftSize);
        }
        int bins = fftSize / 2 + 1;
        double[] re = new double[fftSize];
        double[] im = new double[fftSize];
        double[] power = new double[bins];
        float[] out = new float[melBands * frames];
        for (int t = 0; t < frames; t++) {
            int start = t * hop - fftSize / 2;
            for (int i = 0; i < fftSize; i++) {
                int j = start + i;
                re[i] = j >= 0 && j < clip.length ? clip[j] * window[i] : 0;
                im[i] = 0;
            }
            fft.forward(re, im);
            for (int k = 0; k < bins; k++) {
                power[k] = re[k] * re[k] + im[k] * im[k];
            }
            for (int m = 0; m < melBands; m++) {
                double e = 0;
                double[] w = bank[m];
                for (int k = 0; k < bins; k++) {
                    e += w[k] * power[k];
                }
                out[m * frames + t] = (float) (10 * Math.log10(e + 1e-10));
            }
        }
        return out;
    }
}
