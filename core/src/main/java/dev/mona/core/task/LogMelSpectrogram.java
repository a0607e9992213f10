package dev.mona.core.task;

/**
 * torchaudio's {@code MelSpectrogram(sample_rate, n_fft, win_length, hop_length, n_mels, f_max, pad_mode)} with its
 * other defaults (periodic Hann window zero-padded to n_fft in the middle, centred frames padded by n_fft / 2, power
 * 2, HTK mel scale from 0 Hz to {@code fMax}, unnormalised triangles): {@link #melPower}. {@link #logMel} adds the
 * FSD50K features of ORCA / NAS-Bench-360 ({@code AudioParser} with {@code feature='melspectrogram'}, parameters
 * {@link #FSD50K}): librosa's {@code power_to_db} (10 log10 max(1e-10, S), floored at the maximum minus 80 dB), plus
 * 75 and minus the spectrogram's mean (the two cancel but for rounding; kept as ORCA computes).
 *
 * @param sampleRate samples per second
 * @param nFft       FFT length
 * @param winLength  Hann window length
 * @param hop        frame step
 * @param nMels      mel bands
 * @param fMax       upper edge of the highest mel band, in Hz
 * @param padding    how the signal is extended by n_fft / 2 at both ends for the centred frames
 */
public record LogMelSpectrogram(int sampleRate, int nFft, int winLength, int hop, int nMels, double fMax,
                                Padding padding) {
    /** FSD50K's parameters in ORCA: 22,050 Hz, 30 ms windows, 10 ms hops, 96 bands up to the Nyquist frequency. */
    public static final LogMelSpectrogram FSD50K = new LogMelSpectrogram(22050, 96 * 20, (int) (22050 * 0.03),
            (int) (22050 * 0.01), 96, 22050 / 2.0, Padding.REFLECT);
    static final double TOP_DB = 80.0;
    static final double AMIN = 1e-10;

    /** torchaudio's {@code pad_mode}: {@code "reflect"} (its default) or {@code "constant"} (zeros). */
    public enum Padding { REFLECT, ZERO }

    /** Frames for a signal of {@code samples}: 1 + samples / hop (centred framing). */
    public int frames(int samples) {
        return 1 + samples / hop;
    }

    /** The mel power spectrogram {@code (nMels, frames)}, row-major, before the dB conversion. */
    public double[] melPower(float[] audio) {
        int half = nFft / 2;
        if (padding == Padding.REFLECT && audio.length <= half) {
            throw new IllegalArgumentException("reflect padding needs more than " + half + " samples, got "
                    + audio.length);
        }
        int frames = frames(audio.length);
        double[] window = new double[nFft];
        int left = (nFft - winLength) / 2;
        for (int i = 0; i < winLength; i++) {
            window[left + i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / winLength);
        }
        double[][] fb = filterbank();
        int bins = nFft / 2 + 1;
        // each triangle is non-zero on one run of bins
        int[] first = new int[nMels];
        int[] last = new int[nMels];
        for (int m = 0; m < nMels; m++) {
            int a = 0;
            while (a < bins && fb[m][a] == 0) {
                a++;
            }
            int b = bins;
            while (b > a && fb[m][b - 1] == 0) {
                b--;
            }
            first[m] = a;
            last[m] = b;
        }
        Fft fft = new Fft(nFft);
        double[] re = new double[nFft];
        double[] im = new double[nFft];
        double[] power = new double[bins];
        double[] out = new double[nMels * frames];
        for (int t = 0; t < frames; t++) {
            int start = t * hop - half;
            for (int i = 0; i < nFft; i++) {
                re[i] = window[i] == 0 ? 0 : window[i] * sample(audio, start + i);
                im[i] = 0;
            }
            fft.transform(re, im);
            for (int k = 0; k < bins; k++) {
                power[k] = re[k] * re[k] + im[k] * im[k];
            }
            for (int m = 0; m < nMels; m++) {
                double s = 0;
                double[] f = fb[m];
                for (int k = first[m]; k < last[m]; k++) {
                    s += f[k] * power[k];
                }
                out[m * frames + t] = s;
            }
        }
        return out;
    }

    /** The features ORCA feeds the model, {@code (nMels, frames)} row-major, in float. */
    public float[] logMel(float[] audio) {
        double[] p = melPower(audio);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            p[i] = 10 * Math.log10(Math.max(AMIN, p[i]));
            max = Math.max(max, p[i]);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(p[i], max - TOP_DB) + 75.0;
            sum += p[i];
        }
        double mean = sum / p.length;
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) (p[i] - mean);
        }
        return out;
    }

    /** torchaudio's {@code melscale_fbanks} (HTK, no normalisation): {@code [nMels][nFft / 2 + 1]}. */
    public double[][] filterbank() {
        int bins = nFft / 2 + 1;
        double nyquist = sampleRate / 2.0;
        double mMax = hzToMel(fMax);
        double[] fPts = new double[nMels + 2];
        for (int i = 0; i < nMels + 2; i++) {
            fPts[i] = melToHz(mMax * i / (nMels + 1));
        }
        double[][] fb = new double[nMels][bins];
        for (int k = 0; k < bins; k++) {
            double f = nyquist * k / (bins - 1);
            for (int m = 0; m < nMels; m++) {
                double down = (f - fPts[m]) / (fPts[m + 1] - fPts[m]);
                double up = (fPts[m + 2] - f) / (fPts[m + 2] - fPts[m + 1]);
                fb[m][k] = Math.max(0, Math.min(down, up));
            }
        }
        return fb;
    }

    /** Mel value of a frequency (HTK). */
    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    /** Frequency of a mel value (HTK). */
    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10, mel / 2595.0) - 1.0);
    }

    /** Sample {@code i} of the padded signal ({@code i} may fall outside {@code audio}). */
    private float sample(float[] audio, int i) {
        if (i >= 0 && i < audio.length) {
            return audio[i];
        }
        return padding == Padding.REFLECT ? audio[reflect(i, audio.length)] : 0f;
    }

    /** numpy / torch "reflect" padding index (the edge sample is not repeated). */
    static int reflect(int i, int n) {
        int period = 2 * (n - 1);
        int j = Math.floorMod(i, period);
        return j < n ? j : period - j;
    }

    /** A mixed-radix complex FFT (forward, unscaled) for lengths whose prime factors are small, e.g. 1920. */
    static final class Fft {
        private final int n;
        private final double[] cos;
        private final double[] sin;
        private final double[] tr;
        private final double[] ti;

        Fft(int n) {
            this.n = n;
            cos = new double[n];
            sin = new double[n];
            for (int e = 0; e < n; e++) {
                cos[e] = Math.cos(2 * Math.PI * e / n);
                sin[e] = -Math.sin(2 * Math.PI * e / n);
            }
            tr = new double[n];
            ti = new double[n];
        }

        /** In place: {@code X[k] = sum_j x[j] exp(-2 pi i j k / n)}. */
        void transform(double[] re, double[] im) {
            rec(re, im, 0, 1, n, 0);
            System.arraycopy(tr, 0, re, 0, n);
            System.arraycopy(ti, 0, im, 0, n);
        }

        /** DFT of x[off + j * stride], j < len, into tr/ti[out .. out + len). */
        private void rec(double[] xr, double[] xi, int off, int stride, int len, int out) {
            if (len == 1) {
                tr[out] = xr[off];
                ti[out] = xi[off];
                return;
            }
            int p = smallestFactor(len);
            int m = len / p;
            for (int r = 0; r < p; r++) {
                rec(xr, xi, off + r * stride, stride * p, m, out + r * m);
            }
            int scale = n / len; // W_len^e = W_n^(e * scale)
            if (p == 2) {
                for (int k = 0; k < m; k++) {
                    int e = k * scale;
                    int i0 = out + k;
                    int i1 = out + m + k;
                    double a = tr[i1];
                    double b = ti[i1];
                    double wr = a * cos[e] - b * sin[e];
                    double wi = a * sin[e] + b * cos[e];
                    double xr0 = tr[i0];
                    double xi0 = ti[i0];
                    tr[i0] = xr0 + wr;
                    ti[i0] = xi0 + wi;
                    tr[i1] = xr0 - wr;
                    ti[i1] = xi0 - wi;
                }
                return;
            }
            int step = m * scale; // W_p^j = W_n^(j * step)
            double[] ar = new double[p];
            double[] ai = new double[p];
            for (int k = 0; k < m; k++) {
                for (int r = 0; r < p; r++) {
                    int e = r * k * scale; // r k < len, so e < n
                    double a = tr[out + r * m + k];
                    double b = ti[out + r * m + k];
                    ar[r] = a * cos[e] - b * sin[e];
                    ai[r] = a * sin[e] + b * cos[e];
                }
                for (int q = 0; q < p; q++) {
                    double sr = 0;
                    double si = 0;
                    int rq = 0; // (r * q) mod p, kept incrementally
                    for (int r = 0; r < p; r++) {
                        int e = rq * step;
                        sr += ar[r] * cos[e] - ai[r] * sin[e];
                        si += ar[r] * sin[e] + ai[r] * cos[e];
                        rq += q;
                        if (rq >= p) {
                            rq -= p;
                        }
                    }
                    tr[out + k + m * q] = sr;
                    ti[out + k + m * q] = si;
                }
            }
        }

        private static int smallestFactor(int n) {
            for (int p = 2; p * p <= n; p++) {
                if (n % p == 0) {
                    return p;
                }
            }
            return n;
        }
    }
}
