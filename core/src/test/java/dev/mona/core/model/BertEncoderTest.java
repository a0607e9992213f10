package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertEncoderTest extends CpuManagerTest {
    @Test
    void robertaPositionsStartAfterThePaddingIdAndBertAtZero() {
        NDArray ids = m.create(new long[] {0, 7, 9, 2, 1, 1}, new Shape(1, 6));
        // RoBERTa (pad 1): real tokens 2, 3, 4, 5; padding keeps position 1
        assertArrayEquals(new long[] {2, 3, 4, 5, 1, 1},
                BertConfig.tinyRoberta().build().positionIds(ids).toLongArray());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, BertConfig.tinyBert().build().positionIds(ids).toLongArray());
        assertEquals(2, BertConfig.robertaBase().firstPosition());
        assertEquals(512, BertConfig.robertaBase().maxTokens());
        assertEquals(0, BertConfig.allMiniLmL6V2().firstPosition());
    }

    @Test
    void sourceEmbeddingIsNormOfWordPlusPositionPlusTypeZero() {
        BertEncoder enc = BertConfig.tinyRoberta().build();
        Params p = GradCheck.noisy(m, enc, 4);
        NDArray ids = m.create(new long[] {5, 0, 7}, new Shape(1, 3));
        double[] out = enc.sourceEmbedder().forward(p, ids).toDoubleArray();
        double[] words = p.get(BertEncoder.WORDS).toDoubleArray();
        double[] pos = p.get(BertEncoder.POSITIONS).toDoubleArray();
        double[] type = p.get(BertEncoder.TOKEN_TYPES).toDoubleArray();
        double[] sum = new double[24];
        long[] id = {5, 0, 7};
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 8; c++) {
                // RoBERTa: token i has position i + 2
                sum[i * 8 + c] = words[(int) id[i] * 8 + c] + pos[(i + 2) * 8 + c] + type[c];
            }
        }
        assertArrayEquals(SwinEncoderTest.affineNorm(sum, p, BertEncoder.EMBEDDING_NORM, 8, 1e-5), out, 1e-10);
    }

    @Test
    void oneLayerMatchesPostNormDefinition() {
        BertConfig cfg = new BertConfig(10, 6, 1, 3, 12, 8, 1, 1, true, 1e-5, "");
        BertEncoder enc = cfg.build();
        Params p = GradCheck.noisy(m, enc, 9);
        Params b = p.scope("encoder.layer.0.");
        NDArray x = GradCheck.random(m, new Shape(2, 4, 6), new SplittableRandom(3));
        double[] xs = x.toDoubleArray();
        double[] att = BlocksTest.naiveAttention(xs, b.get("attention.self.query.weight"),
                b.get("attention.self.query.bias"), b.get("attention.self.key.weight"), b.get("attention.self.key.bias"),
                b.get("attention.self.value.weight"), b.get("attention.self.value.bias"),
                b.get("attention.output.dense.weight"), b.get("attention.output.dense.bias"), 2, 4, 6, 3);
        double[] h = SwinEncoderTest.affineNorm(VitEncoderTest.add(att, xs), b, "attention.output.LayerNorm", 6, 1e-5);
        double[][] f1 = BlocksTest.lin(h, b.get("intermediate.dense.weight").toDoubleArray(),
                b.get("intermediate.dense.bias").toDoubleArray(), 8, 6, 12);
        double[] g = new double[8 * 12];
        for (int i = 0; i < g.length; i++) {
            double u = f1[i / 12][i % 12];
            g[i] = 0.5 * u * (1 + VitEncoderTest.erf(u / Math.sqrt(2)));
        }
        double[][] f2 = BlocksTest.lin(g, b.get("output.dense.weight").toDoubleArray(),
                b.get("output.dense.bias").toDoubleArray(), 8, 12, 6);
        double[] y = h.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += f2[i / 6][i % 6];
        }
        assertArrayEquals(SwinEncoderTest.affineNorm(y, b, "output.LayerNorm", 6, 1e-5), enc.forward(p, x)
                .toDoubleArray(), 1e-10);
    }

    @Test
    void paddingIsInvisibleToRealTokens() {
        BertEncoder enc = BertConfig.tinyRoberta().build();
        Params p = GradCheck.noisy(m, enc, 5);
        NDArray shortIds = m.create(new long[] {0, 12, 13, 2}, new Shape(1, 4));
        NDArray padded = m.create(new long[] {0, 12, 13, 2, 1, 1}, new Shape(1, 6));
        NDArray mask = m.create(new long[] {1, 1, 1, 1, 0, 0}, new Shape(1, 6));
        double[] a = enc.forward(p, enc.sourceEmbedder().forward(p, shortIds)).toDoubleArray();
        double[] b = enc.forward(p, enc.sourceEmbedder().forward(p, padded), mask).get(":, 0:4").toDoubleArray();
        assertArrayEquals(a, b, 1e-10);
        // without the mask the padding does leak in
        double[] c = enc.forward(p, enc.sourceEmbedder().forward(p, padded)).get(":, 0:4").toDoubleArray();
        assertTrue(Math.abs(a[0] - c[0]) > 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        BertEncoder enc = BertConfig.tinyBert().build();
        Params all = GradCheck.noisy(m, enc, 6);
        Params body = Params.empty();
        Params emb = Params.empty();
        for (String n : all.names()) {
            if (n.startsWith("embeddings.")) {
                emb = emb.with(n, all.get(n));
            } else {
                body = body.with(n, all.get(n));
            }
        }
        NDArray x = GradCheck.random(m, new Shape(2, 5, 8), new SplittableRandom(1));
        NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, new Shape(2, 5));
        Map<String, Double> e = GradCheck.errors(m, (q, in) -> enc.forward(q, in, mask), body, x, true, 1, 1);
        assertTrue(GradCheck.worst(e) < 1e-6, e.toString());
        NDArray ids = m.create(new long[] {3, 9, 9, 0, 39, 1, 2, 3, 4, 5}, new Shape(2, 5));
        Map<String, Double> s = GradCheck.errors(m, enc.sourceEmbedder()::forward, emb, ids, false, 2, 2);
        assertTrue(GradCheck.worst(s) < 1e-6, s.toString());
    }

    @Test
    void publishedConfigsHaveTheirParameterCounts() {
        BertEncoder roberta = BertConfig.robertaBase().build();
        Map<String, Shape> shapes = roberta.parameterShapes();
        assertEquals(new Shape(50265, 768), shapes.get("embeddings.word_embeddings.weight"));
        assertEquals(new Shape(514, 768), shapes.get("embeddings.position_embeddings.weight"));
        assertEquals(new Shape(1, 768), shapes.get("embeddings.token_type_embeddings.weight"));
        assertEquals(new Shape(3072, 768), shapes.get("encoder.layer.11.intermediate.dense.weight"));
        assertEquals(new Shape(768), shapes.get("encoder.layer.11.output.LayerNorm.bias"));
        // published totals include the pooler (768*768 + 768 and 384*384 + 384), which mona does not use
        assertEquals(124_645_632L - 590_592L, count(shapes));
        assertEquals(22_713_216L - 147_840L, count(BertConfig.allMiniLmL6V2().build().parameterShapes()));
        assertTrue(BertEncoder.isIgnoredCheckpointName("roberta.embeddings.position_ids"));
        assertTrue(BertEncoder.isIgnoredCheckpointName("pooler.dense.weight"));
    }

    private static long count(Map<String, Shape> shapes) {
        return shapes.values().stream().mapToLong(Shape::size).sum();
    }

    @Test
    void wrongInputsRaiseTypedErrors() {
        BertEncoder enc = BertConfig.tinyRoberta().build();
        Params p = enc.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
        assertThrows(InputShapeException.class, () -> enc.forward(p, m.zeros(new Shape(1, 3, 4))));
        assertThrows(InputShapeException.class, () -> enc.sourceEmbedder().forward(p, m.zeros(new Shape(1, 3))));
        InputShapeException tooLong = assertThrows(InputShapeException.class,
                () -> enc.sourceEmbedder().forward(p, m.zeros(new Shape(1, 19), DataType.INT64)));
        assertTrue(tooLong.getMessage().contains("18"), tooLong.getMessage());
        assertThrows(InputShapeException.class,
                () -> enc.forward(p, m.zeros(new Shape(1, 3, 8)), m.ones(new Shape(1, 4))));
    }
}
