package dev.mona.core.pretrained;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.mona.core.data.DataSplit;
import dev.mona.core.offline.NotEnoughSamplesException;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.offline.Splits;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SpamAssassin corpus as installed by infra/setup.sh, tokenised with MiniLM's tokenizer. */
class SpamAssassinTest {
    @Test
    void groupsHoldThePublishedCounts() {
        SpamAssassin spam = new SpamAssassin(OfflineData.fromEnvironment());
        int[] expected = {2500, 1400, 250, 500, 1396};
        for (int g = 0; g < 5; g++) {
            assertEquals(expected[g], spam.files(SpamAssassin.GROUPS.get(g)).size(), SpamAssassin.GROUPS.get(g));
        }
    }

    @Test
    void subjectAndBodyDropTheOtherHeaders() {
        String raw = "From a@b  Thu Aug 22\nReceived: from x\nSubject: Cheap stuff\nX-Spam: yes\n\nBuy now.\nReally.";
        assertEquals("Cheap stuff\nBuy now.\nReally.", SpamAssassin.subjectAndBody(raw));
        assertEquals("only headers", SpamAssassin.subjectAndBody("Subject: only headers"));
    }

    @Test
    void theWordPieceTokenizerGivesBertUncasedIds() {
        try (HuggingFaceTokenizer tok = MiniLm.tokenizer()) {
            // bert-base-uncased vocabulary: [CLS] 101, hello 7592, world 2088, [SEP] 102
            assertArrayEquals(new long[]{101, 7592, 2088, 102}, tok.encode("Hello world").getIds());
        }
    }

    @Test
    void loadsBalancedTokenisedPairs() {
        SpamAssassin spam = new SpamAssassin(OfflineData.fromEnvironment());
        SpamAssassin.LabelledText t = spam.load(40, 32, SpamAssassin.Labels.HAM_SPAM, 3);
        assertEquals(40, t.size());
        DataSplit d = t.asDataSplit();
        assertArrayEquals(new long[]{40, 32}, d.x().shape());
        assertArrayEquals(new int[]{20, 20}, Splits.classCounts(d.y().data(), 2));
        for (int i = 0; i < 40; i++) {
            assertEquals(101, t.ids()[i][0]);
            int len = 0;
            for (long m : t.attentionMask()[i]) {
                len += (int) m;
            }
            assertTrue(len >= 3);
            assertEquals(102, t.ids()[i][len - 1], "the last real token is [SEP]");
        }
        SpamAssassin.LabelledText groups = spam.load(50, 16, SpamAssassin.Labels.GROUPS, 3);
        assertArrayEquals(new int[]{10, 10, 10, 10, 10}, Splits.classCounts(groups.asDataSplit().y().data(), 5));
        assertEquals(List.of(2, 5), List.of(t.classes(), groups.classes()));
    }

    @Test
    void theSourceStageDefaultIsAsBalancedAsTheGroupsAllow() {
        SpamAssassin spam = new SpamAssassin(OfflineData.fromEnvironment());
        // 2 x source.samples = 1,600 e-mails: hard-ham-1 gives its 250, the other four groups share the rest
        SpamAssassin.LabelledText t = spam.load(1600, 8, SpamAssassin.Labels.GROUPS, 0);
        float[] y = t.asDataSplit().y().data();
        assertArrayEquals(new int[]{338, 338, 250, 337, 337}, Splits.classCounts(y, 5));
        // grouped by class, so the source stage's alternate rows split every class in halves (within one)
        float[][] halves = new float[2][800];
        for (int i = 0; i < y.length; i++) {
            assertTrue(i == 0 || y[i - 1] <= y[i], "rows grouped by class");
            halves[i % 2][i / 2] = y[i];
        }
        assertArrayEquals(new int[]{169, 169, 125, 169, 168}, Splits.classCounts(halves[0], 5));
        assertArrayEquals(new int[]{169, 169, 125, 168, 169}, Splits.classCounts(halves[1], 5));
        int installed = SpamAssassin.GROUPS.stream().mapToInt(g -> spam.files(g).size()).sum();
        assertEquals(SpamAssassin.EMAILS, installed, "the submission check's count is the installed corpus's");
        NotEnoughSamplesException e = assertThrows(NotEnoughSamplesException.class,
                () -> spam.load(SpamAssassin.EMAILS + 1, 8, SpamAssassin.Labels.GROUPS, 0));
        assertEquals(SpamAssassin.EMAILS, e.available());
    }
}
