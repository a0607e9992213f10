package dev.mona.core.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.CorruptDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * ORCA's FSD50K loader ({@code load_fsd} with NAS-Bench-360's {@code SpectrogramDataset} and
 * {@code FSD50kEvalDataset}) on NAS-Bench-360's {@code audio.zip}: {@code chunks/lbl_map.json} (label name to index,
 * 200 labels), manifests {@code chunks/tr.csv}, {@code val.csv}, {@code eval.csv} (columns {@code files},
 * {@code labels} comma-separated names, {@code ext} the clip a chunk comes from) and 22,050 Hz mono WAV chunks of
 * about one second.
 * <ul>
 *   <li>audio: read as floats in [-1, 1]; a chunk shorter than one second is repeated (tiled) up to 22,050 samples;
 *       features = {@link LogMelSpectrogram#FSD50K}, 96 bands x 101 frames; padded by one zero frame on the right
 *       (ORCA's {@code F.pad(real, (0, 1))}): inputs {@code (1, 96, 102)};</li>
 *   <li>targets: multi-hot label vectors over the label map;</li>
 *   <li>training: one chunk per clip, chosen at random (seeded), as ORCA materialises its training set; chunks whose
 *       features are not 96 x 101 (longer than 1 s) are dropped, as ORCA does. ORCA's training-time augmentation
 *       (background-noise mixing with probability 0.75, SpecAugment, wrap padding) is not applied;</li>
 *   <li>validation = the official FSD50K validation clips ({@code val.csv}, part of the development set, disjoint
 *       from training and from {@code eval.csv}); test = {@code eval.csv}. Every chunk of a clip is one row, and
 *       {@link LoadedTask#testClipOfRow()} groups them: ORCA scores a clip by the mean of its chunks' logits. Longer chunks are
 *       centre-cropped to 101 frames.</li>
 *   <li>A limit keeps the first N clips of each split (clips in {@code np.unique} order of {@code ext}).</li>
 * </ul>
 */
final class Fsd50kLoader {
    private static final Logger LOG = LoggerFactory.getLogger(Fsd50kLoader.class);
    static final int SAMPLE_RATE = 22050;
    static final int FRAMES = 101;
    static final LogMelSpectrogram FEATURES = LogMelSpectrogram.FSD50K;

    private Fsd50kLoader() {
    }

    /** One manifest row. */
    record Chunk(String file, List<String> labels, String clip) {
    }

    static LoadedTask load(TaskSpec spec, TaskFiles files, LoadOptions o) throws IOException {
        Path root = files.extracted("audio.zip");
        Path chunks = chunksDir(root);
        Map<String, Integer> labels = labelMap(chunks.resolve("lbl_map.json"), spec.classes());
        Map<String, List<Chunk>> train = clips(chunks.resolve("tr.csv"));
        Map<String, List<Chunk>> val = clips(chunks.resolve("val.csv"));
        Map<String, List<Chunk>> test = clips(chunks.resolve("eval.csv"));
        SplittableRandom pick = new SplittableRandom(o.seed() * 31 + 13);
        List<Path> picked = new ArrayList<>();
        List<float[]> pickedLabels = new ArrayList<>();
        for (List<Chunk> clip : train.values()) {
            if (o.limit() > 0 && picked.size() >= o.limit()) {
                break;
            }
            Chunk c = clip.get(pick.nextInt(clip.size()));
            picked.add(resolve(root, chunks, c.file()));
            pickedLabels.add(multiHot(c, labels, chunks.resolve("tr.csv")));
        }
        float[][] feats = features(picked, false);
        List<float[]> xs = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        for (int i = 0; i < feats.length; i++) {
            if (feats[i] != null) { // ORCA keeps only (1, 96, 102) training samples
                xs.add(feats[i]);
                ys.add(pickedLabels.get(i));
            }
        }
        DataSplit tr = stack(xs, ys, spec.classes());
        Grouped va = evalSplit(root, chunks, val, labels, spec.classes(), o.limit(), chunks.resolve("val.csv"));
        Grouped te = evalSplit(root, chunks, test, labels, spec.classes(), o.limit(), chunks.resolve("eval.csv"));
        LOG.info("fsd50k: {} training clips, {} validation chunks of {} clips, {} test chunks of {} clips",
                tr.size(), va.split.size(), va.clips, te.split.size(), te.clips);
        return new LoadedTask(new TaskData(tr, va.split, te.split), null, va.clipOfRow, te.clipOfRow);
    }

    private record Grouped(DataSplit split, int[] clipOfRow, int clips) {
    }

    private static Grouped evalSplit(Path root, Path chunks, Map<String, List<Chunk>> clips,
                                     Map<String, Integer> labels, int classes, int limit, Path manifest)
            throws IOException {
        List<Path> files = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        int g = 0;
        for (List<Chunk> clip : clips.values()) {
            if (limit > 0 && g >= limit) {
                break;
            }
            for (Chunk c : clip) {
                files.add(resolve(root, chunks, c.file()));
                // ORCA scores a clip against the labels of its first chunk
                ys.add(multiHot(clip.get(0), labels, manifest));
                group.add(g);
            }
            g++;
        }
        int[] rows = group.stream().mapToInt(Integer::intValue).toArray();
        return new Grouped(stack(List.of(features(files, true)), ys, classes), rows, g);
    }

    private static DataSplit stack(List<float[]> xs, List<float[]> ys, int classes) {
        int n = xs.size();
        int per = FEATURES.nMels() * (FRAMES + 1);
        float[] x = new float[n * per];
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs.get(i), 0, x, i * per, per);
            System.arraycopy(ys.get(i), 0, y, i * classes, classes);
        }
        return new DataSplit(new HostTensor(x, new long[]{n, 1, FEATURES.nMels(), FRAMES + 1}),
                new HostTensor(y, new long[]{n, classes}));
    }

    /** {@link #features(Path, boolean)} of many chunks, computed on all cores, in order. */
    static float[][] features(List<Path> wavs, boolean crop) throws IOException {
        float[][] out = new float[wavs.size()][];
        try {
            java.util.stream.IntStream.range(0, wavs.size()).parallel().forEach(i -> {
                try {
                    out[i] = features(wavs.get(i), crop);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    /**
     * The (96, 102) input of one chunk, row-major, or null for a training chunk that does not give 101 frames.
     *
     * @param crop centre-crop longer chunks to 101 frames (evaluation) instead of dropping them
     */
    static float[] features(Path wav, boolean crop) throws IOException {
        float[] audio = tile(readWav(wav), SAMPLE_RATE);
        int frames = FEATURES.frames(audio.length);
        if (frames != FRAMES && !crop) {
            return null;
        }
        float[] spec = FEATURES.logMel(audio);
        int start = (frames - FRAMES) / 2;
        int mels = FEATURES.nMels();
        float[] out = new float[mels * (FRAMES + 1)];
        for (int m = 0; m < mels; m++) {
            System.arraycopy(spec, m * frames + start, out, m * (FRAMES + 1), FRAMES);
        }
        return out;
    }

    /** NAS-Bench-360's {@code load_audio} with {@code min_duration = 1}: repeat a short signal up to n samples. */
    static float[] tile(float[] x, int n) {
        if (x.length >= n) {
            return x;
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("an empty audio chunk cannot be tiled");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = x[i % x.length];
        }
        return out;
    }

    /** A mono WAV at 22,050 Hz as floats in [-1, 1] (soundfile's scaling: integer / 2^(bits - 1)). */
    static float[] readWav(Path f) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(f.toFile())) {
            AudioFormat fmt = in.getFormat();
            if (fmt.getChannels() != 1 || Math.round(fmt.getSampleRate()) != SAMPLE_RATE) {
                throw new CorruptDataException(f.toString(), "WAV header", "mono audio at " + SAMPLE_RATE + " Hz",
                        fmt.getChannels() + " channel(s) at " + fmt.getSampleRate() + " Hz");
            }
            int bits = fmt.getSampleSizeInBits();
            boolean pcm = fmt.getEncoding() == AudioFormat.Encoding.PCM_SIGNED && (bits == 16 || bits == 24 || bits == 32);
            boolean fl = fmt.getEncoding() == AudioFormat.Encoding.PCM_FLOAT && bits == 32;
            if (!pcm && !fl) {
                throw new CorruptDataException(f.toString(), "WAV header", "16/24/32-bit PCM or 32-bit float",
                        fmt.getEncoding() + " " + bits + "-bit");
            }
            byte[] b = in.readAllBytes();
            int bytes = bits / 8;
            int n = b.length / bytes;
            ByteBuffer bb = ByteBuffer.wrap(b).order(fmt.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                if (fl) {
                    out[i] = bb.getFloat(i * 4);
                } else if (bits == 16) {
                    out[i] = bb.getShort(i * 2) / 32768f;
                } else if (bits == 32) {
                    out[i] = (float) (bb.getInt(i * 4) / 2147483648.0);
                } else {
                    int p = i * 3;
                    int v = fmt.isBigEndian()
                            ? (b[p] << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF)
                            : (b[p + 2] << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF);
                    out[i] = v / 8388608f;
                }
            }
            return out;
        } catch (UnsupportedAudioFileException e) {
            throw new CorruptDataException(f.toString(), "file header", "a WAV file", e.getMessage(), e);
        }
    }

    /** {@code chunks/} at the top of the extracted archive or under {@code data/}. */
    static Path chunksDir(Path root) {
        for (Path p : new Path[]{root.resolve("chunks"), root.resolve("data").resolve("chunks")}) {
            if (Files.isRegularFile(p.resolve("lbl_map.json"))) {
                return p;
            }
        }
        throw new CorruptDataException(root.toString(), "archive contents",
                "chunks/lbl_map.json (or data/chunks/lbl_map.json)", "neither");
    }

    /**
     * A manifest's {@code files} entry: NAS-Bench-360 wrote paths relative to the folder the archive was extracted
     * into (named {@code data}), so they are tried as given, without their first folder, and by the chunk folder.
     */
    static Path resolve(Path root, Path chunks, String file) {
        String rel = file.replace('\\', '/');
        while (rel.startsWith("/") || rel.startsWith("./")) {
            rel = rel.substring(rel.startsWith("/") ? 1 : 2);
        }
        List<Path> tried = new ArrayList<>();
        tried.add(root.resolve(rel));
        int slash = rel.indexOf('/');
        if (slash > 0) {
            tried.add(root.resolve(rel.substring(slash + 1)));
        }
        tried.add(chunks.resolve(rel));
        for (Path p : tried) {
            if (p.normalize().startsWith(root.normalize()) && Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new CorruptDataException(chunks.toString(), "manifest entry " + file, "an audio file at one of "
                + tried, "none");
    }

    static Map<String, Integer> labelMap(Path f, int classes) throws IOException {
        Map<String, Integer> m;
        try {
            m = new ObjectMapper().readValue(f.toFile(), new TypeReference<LinkedHashMap<String, Integer>>() {
            });
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CorruptDataException(f.toString(), "JSON", "an object of label name to index", e.getOriginalMessage(), e);
        }
        if (m.size() != classes) {
            throw new CorruptDataException(f.toString(), "label map", classes + " labels", m.size() + "");
        }
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0 || e.getValue() >= classes) {
                throw new CorruptDataException(f.toString(), "label " + e.getKey(), "an index in [0, " + classes + ")",
                        String.valueOf(e.getValue()));
            }
        }
        return m;
    }

    private static float[] multiHot(Chunk c, Map<String, Integer> labels, Path manifest) {
        float[] y = new float[labels.size()];
        for (String l : c.labels()) {
            Integer i = labels.get(l);
            if (i == null) {
                throw new CorruptDataException(manifest.toString(), "labels of " + c.file(), "names from lbl_map.json",
                        "'" + l + "'");
            }
            y[i] = 1;
        }
        return y;
    }

    /**
     * A manifest's chunks grouped by clip ({@code ext}), clips in {@code np.unique} order (numeric when every
     * {@code ext} is an integer, as pandas reads them), chunks in file order.
     */
    static Map<String, List<Chunk>> clips(Path manifest) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            throw new CorruptDataException(manifest.toString(), "archive contents", "the manifest "
                    + manifest.getFileName(), "no such file");
        }
        List<List<String>> rows = Csv.parse(Files.readString(manifest));
        if (rows.isEmpty()) {
            throw new CorruptDataException(manifest.toString(), "header", "files,labels,ext", "an empty file");
        }
        List<String> header = rows.get(0);
        int fi = header.indexOf("files");
        int li = header.indexOf("labels");
        int ei = header.indexOf("ext");
        if (fi < 0 || li < 0 || ei < 0) {
            throw new CorruptDataException(manifest.toString(), "header", "columns files, labels, ext",
                    header.toString());
        }
        List<Chunk> chunks = new ArrayList<>();
        boolean numeric = true;
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            if (row.size() <= Math.max(fi, Math.max(li, ei))) {
                throw new CorruptDataException(manifest.toString(), "line " + (r + 1), header.size() + " columns",
                        row.toString());
            }
            String ext = row.get(ei).strip();
            numeric &= ext.matches("-?\\d+");
            chunks.add(new Chunk(row.get(fi), List.of(row.get(li).split(",")), ext));
        }
        final boolean byNumber = numeric;
        Map<String, List<Chunk>> out = new TreeMap<>((a, b) -> byNumber
                ? Long.compare(Long.parseLong(a), Long.parseLong(b)) : a.compareTo(b));
        for (Chunk c : chunks) {
            out.computeIfAbsent(c.clip(), k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    /** RFC 4180 CSV, as pandas reads it: quoted fields may hold commas, quotes doubled, CRLF or LF. */
    static final class Csv {
        private Csv() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    field.append(c);
                }
                i++;
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
