package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A text encoder's source features leave padding out of the attention and the mean. */
class TextSourceFeaturesTest extends CpuManagerTest {
    @Test
    void paddedAndUnpaddedSentencesGiveTheSameFeatures() {
        for (BertConfig cfg : new BertConfig[] {BertConfig.tinyRoberta(), BertConfig.tinyBert()}) {
            BertEncoder bert = cfg.build();
            Params p = bert.initialise(m, DataType.FLOAT64, new SplittableRandom(3));
            long pad = cfg.padTokenId();
            NDArray bare = m.create(new long[] {7, 5, 9, 3}, new Shape(1, 4));
            NDArray padded = m.create(new long[] {7, 5, 9, 3, pad, pad, pad}, new Shape(1, 7));
            assertArrayEquals(bert.pooledSourceFeatures(p, bare).toDoubleArray(),
                    bert.pooledSourceFeatures(p, padded).toDoubleArray(), 1e-12, cfg.toString());
            assertArrayEquals(bert.pooledSourceEmbeddings(p, bare).toDoubleArray(),
                    bert.pooledSourceEmbeddings(p, padded).toDoubleArray(), 1e-12, cfg.toString());
            // the mean over all tokens, padding included, differs: the mask matters
            NDArray all = bert.forward(p, bert.sourceEmbedder().forward(p, padded)).mean(new int[] {1});
            double diff = all.sub(bert.pooledSourceFeatures(p, padded)).abs().max().getDouble();
            assertTrue(diff > 1e-3, cfg + ": " + diff);
            // a batch: each row averages its own real tokens
            NDArray batch = m.create(new long[] {7, 5, 9, 3, pad, pad, 4, 4, 4, 4, 4, 4}, new Shape(2, 6));
            NDArray one = m.create(new long[] {4, 4, 4, 4, 4, 4}, new Shape(1, 6));
            double[] both = bert.pooledSourceFeatures(p, batch).toDoubleArray();
            assertArrayEquals(bert.pooledSourceFeatures(p, one).toDoubleArray(),
                    java.util.Arrays.copyOfRange(both, 8, 16), 1e-12);
            assertArrayEquals(bert.pooledSourceFeatures(p, bare).toDoubleArray(),
                    java.util.Arrays.copyOfRange(both, 0, 8), 1e-12);
        }
    }
}
