package dev.mona.core.offline.audio;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.offline.OfflineDataMissingException;
import dev.mona.core.task.LogMelSpectrogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Spoken digits ("zero" .. "nine", 10 classes) synthesised offline with {@code espeak-ng}: English dialect
 * voices ({@code espeak-ng --voices=en}, MBROLA voices skipped) combined with the voice variants of
 * {@code espeak-ng --voices=variant} ({@code +f2}, {@code +klatt2}, {@code +whisper}, ...), speeds
 * {@value #MIN_SPEED}..{@value #MAX_SPEED} words per minute and pitches {@value #MIN_PITCH}..{@value #MAX_PITCH}.
 * <p>
 * Input representation (the 2-D path): the clip's speech (silence trimmed at 1% of its peak) is centred in a
 * one-second window (22,050 samples; longer speech is cropped at the centre), turned into a log-mel spectrogram
 * ({@value #MEL_BANDS} mel bands up to 8 kHz x {@value #FRAMES} frames, FFT 1024, hop 345) and standardised per clip
 * (zero mean, unit variance): one {@code (1, 64, 64)} image per clip.
 * <p>
 * Splits: voice variants are shuffled by the seed and one in five is held out: test clips use only held-out
 * variants (unseen speakers), training and validation clips the others. Clips are generated in parallel
 * processes and cached under {@code MONA_DATA/spoken-digits/VOICE/WORD-sSPEED-pPITCH.wav}; espeak-ng output is
 * byte-identical for identical arguments, so the cache is exact.
 */
public final class SpokenDigits {
    private static final Logger LOG = LoggerFactory.getLogger(SpokenDigits.class);
    /** The ten words, in class order. */
    public static final List<String> WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");
    public static final int MIN_SPEED = 110, MAX_SPEED = 230;
    public static final int MIN_PITCH = 15, MAX_PITCH = 85;
    public static final int MEL_BANDS = 64, FRAMES = 64;
    /** espeak-ng's output rate. */
    public static final int SAMPLE_RATE = 22_050;
    /** FRAMES frames of a one-second window: 1 + SAMPLE_RATE / hop. */
    private static final LogMelSpectrogram SPECTROGRAM = new LogMelSpectrogram(SAMPLE_RATE, 1024, 1024, 345,
            MEL_BANDS, 8000, LogMelSpectrogram.Padding.ZERO);

    /**
     * One clip to synthesise.
     *
     * @param digit   class, 0..9
     * @param dialect espeak-ng voice, e.g. {@code en-us}
     * @param variant voice variant, e.g. {@code f2}
     * @param speed   words per minute ({@code -s})
     * @param pitch   0..99 ({@code -p})
     */
    public record Utterance(int digit, String dialect, String variant, int speed, int pitch) {
        /** The {@code -v} argument. */
        public String voice() {
            return dialect + "+" + variant;
        }

        /** Cache path relative to the clip directory. */
        public String relativePath() {
            return voice() + "/" + WORDS.get(digit) + "-s" + speed + "-p" + pitch + ".wav";
        }
    }

    private final Path cache;
    private final String program;
    private final int threads;

    /**
     * @param data    data directory (clips are cached under its {@code spoken-digits})
     * @param program the espeak-ng executable
     * @param threads parallel synthesis processes
     */
    public SpokenDigits(OfflineData data, String program, int threads) {
        this.cache = data.spokenDigitsDir();
        this.program = program;
        this.threads = Math.max(1, threads);
    }

    /** {@code espeak-ng} from the PATH, one process per available processor. */
    public SpokenDigits(OfflineData data) {
        this(data, "espeak-ng", Runtime.getRuntime().availableProcessors());
    }

    /** The English dialect voices espeak-ng offers (MBROLA voices, which need extra data, excluded). */
    public List<String> dialects() {
        List<String> out = new ArrayList<>();
        for (String line : run(List.of(program, "--voices=en"))) {
            String[] f = line.trim().split("\\s+");
            // columns: Pty Language Age/Gender VoiceName File [Other languages]
            if (f.length >= 5 && f[1].startsWith("en") && !f[4].startsWith("mb/") && !out.contains(f[1])) {
                out.add(f[1]);
            }
        }
        if (out.isEmpty()) {
            throw new OfflineDataMissingException("espeak-ng English voices", "'" + program
                    + " --voices=en' lists none");
        }
        return out;
    }

    /** The voice variants ({@code !v/NAME}) espeak-ng offers; names with spaces are skipped. */
    public List<String> variants() {
        List<String> out = new ArrayList<>();
        for (String line : run(List.of(program, "--voices=variant"))) {
            int i = line.indexOf("!v/");
            if (i >= 0) {
                String name = line.substring(i + 3).trim();
                if (!name.isEmpty() && !name.contains(" ")) {
                    out.add(name);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** {@code perClass} utterances per digit with random dialects, variants from {@code variants}, speeds, pitches. */
    public static List<Utterance> plan(int perClass, List<String> dialects, List<String> variants,
                                       SplittableRandom rng) {
        List<Utterance> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            for (int d = 0; d < 10; d++) {
                out.add(new Utterance(d, dialects.get(rng.nextInt(dialects.size())),
                        variants.get(rng.nextInt(variants.size())), MIN_SPEED + rng.nextInt(MAX_SPEED - MIN_SPEED + 1),
                        MIN_PITCH + rng.nextInt(MAX_PITCH - MIN_PITCH + 1)));
            }
        }
        return out;
    }

    /**
     * Train / validation / test splits with the given clips per class, deterministic per {@code seed}; test
     * clips come from held-out voice variants.
     */
    public TaskData taskData(int trainPerClass, int validationPerClass, int testPerClass, long seed) {
        List<String> dialects = dialects();
        List<String> variants = new ArrayList<>(variants());
        if (variants.size() < 5) {
            throw new OfflineDataMissingException("espeak-ng voice variants", "only " + variants.size()
                    + " found; a full espeak-ng-data is needed");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        java.util.Collections.shuffle(variants, new java.util.Random(rng.nextLong()));
        int held = Math.max(1, variants.size() / 5);
        List<String> testVariants = variants.subList(0, held);
        List<String> trainVariants = variants.subList(held, variants.size());
        List<Utterance> train = plan(trainPerClass, dialects, trainVariants, rng.split());
        List<Utterance> validation = plan(validationPerClass, dialects, trainVariants, rng.split());
        List<Utterance> test = plan(testPerClass, dialects, testVariants, rng.split());
        List<Utterance> all = new ArrayList<>(train);
        all.addAll(validation);
        all.addAll(test);
        float[][] features = features(all);
        return new TaskData(split(train, features, 0), split(validation, features, train.size()),
                split(test, features, train.size() + validation.size()));
    }

    /** The {@code (1, 64, 64)} inputs of {@code utterances}, synthesising missing clips in parallel. */
    public float[][] features(List<Utterance> utterances) {
        long start = System.nanoTime();
        float[][] out = new float[utterances.size()][];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < utterances.size(); i++) {
                int k = i;
                jobs.add(pool.submit(() -> {
                    out[k] = spectrogram(WavReader.read(synthesise(utterances.get(k))).samples());
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("spoken-digit synthesis interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        LOG.info("spoken digits: {} clips ready in {} ms", utterances.size(), (System.nanoTime() - start) / 1_000_000);
        return out;
    }

    /** The cached WAV of {@code u}, synthesised first when absent. */
    public Path synthesise(Utterance u) {
        Path target = cache.resolve(u.relativePath());
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".clip", ".wav");
            run(List.of(program, "-v", u.voice(), "-s", Integer.toString(u.speed()), "-p",
                    Integer.toString(u.pitch()), "-w", tmp.toString(), WORDS.get(u.digit())));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write spoken-digit clip " + target + ": " + e.getMessage(), e);
        }
    }

    /** The standardised {@code 64 x 64} log-mel image of a clip at 22,050 Hz. */
    public static float[] spectrogram(float[] clip) {
        int window = SAMPLE_RATE;
        float peak = 0;
        for (float v : clip) {
            peak = Math.max(peak, Math.abs(v));
        }
        int first = 0;
        int last = clip.length - 1;
        float threshold = 0.01f * peak;
        while (first < last && Math.abs(clip[first]) <= threshold) {
            first++;
        }
        while (last > first && Math.abs(clip[last]) <= threshold) {
            last--;
        }
        int length = last - first + 1;
        float[] centred = new float[window];
        if (length <= window) {
            System.arraycopy(clip, first, centred, (window - length) / 2, length);
        } else {
            System.arraycopy(clip, first + (length - window) / 2, centred, 0, window);
        }
        double[] power = SPECTROGRAM.melPower(centred);
        float[] s = new float[power.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (10 * Math.log10(power[i] + 1e-10));
        }
        double mean = 0;
        for (float v : s) {
            mean += v;
        }
        mean /= s.length;
        double var = 0;
        for (float v : s) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / s.length) + 1e-6;
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) ((s[i] - mean) / std);
        }
        return s;
    }

    private static DataSplit split(List<Utterance> us, float[][] features, int offset) {
        int n = us.size();
        int per = MEL_BANDS * FRAMES;
        float[] x = new float[n * per];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features[offset + i], 0, x, i * per, per);
            y[i] = us.get(i).digit();
        }
        return new DataSplit(new HostTensor(x, new long[]{n, 1, MEL_BANDS, FRAMES}), new HostTensor(y, new long[]{n}));
    }

    private List<String> run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new OfflineDataMissingException("espeak-ng", "cannot start '" + program + "' (" + e.getMessage()
                    + "); install it with: apt-get install -y --no-install-recommends espeak-ng");
        }
        try {
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed with exit code "
                        + p.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).trim());
            }
            return new String(output, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + program, e);
        }
    }
}
