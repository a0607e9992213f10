package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitecturesTest extends CpuManagerTest {
    @Test
    void swinClassifierAndDenseModelsHaveTheRightShapes() {
        TransferModel cls = Architectures.classifier(SwinConfig.tiny(), new long[] {1, 28, 28}, 10);
        Params p = Architectures.initialise(cls, null, false, m, DataType.FLOAT32, new SplittableRandom(1));
        assertEquals(cls.parameterShapes().keySet(), p.names());
        assertEquals(new Shape(2, 10), cls.forward(p, m.randomNormal(new Shape(2, 1, 28, 28))).getShape());
        assertEquals(new Shape(16, 1, 4, 4), p.get("embedder.projection.weight").getShape());
        assertEquals(new Shape(10, 32), p.get("predictor.classifier.weight").getShape());

        TransferModel dense = Architectures.dense(SwinConfig.tiny(), new long[] {2, 20, 20}, 1);
        DensePredictor2d pred = (DensePredictor2d) dense.predictor();
        assertEquals(8, pred.shuffle()); // 4 x 4 output tokens shuffled back to 32 x 32
        Params q = Architectures.initialise(dense, null, true, m, DataType.FLOAT32, new SplittableRandom(2));
        NDArray x = m.randomNormal(new Shape(2, 2, 20, 20));
        assertEquals(new Shape(2, 1, 20, 20), dense.forward(q, x).getShape());
        // pooled source features go through the encoder's own patch embedding
        assertEquals(new Shape(2, 32), dense.sourceFeatures(q, m.randomNormal(new Shape(2, 3, 32, 32))).getShape());
    }

    @Test
    void swinBaseDenseUsesOrcaShuffle() {
        TransferModel dense = Architectures.dense(SwinConfig.swinBasePatch4Window7_224(), new long[] {1, 85, 85}, 1);
        DensePredictor2d pred = (DensePredictor2d) dense.predictor();
        assertEquals(7, pred.grid());
        assertEquals(32, pred.shuffle());
        assertEquals(new Shape(3072, 1024), dense.predictor().parameterShapes().get("linear.weight"));
        assertEquals(56 * 56, ((Embedder2d) dense.embedder()).tokens());
    }

    @Test
    void textModelsForOneDimensionalInputs() {
        TransferModel cls = Architectures.classifier(BertConfig.tinyRoberta(), new long[] {3, 40}, 4);
        Embedder1d e = (Embedder1d) cls.embedder();
        assertEquals(18, e.targetSeqLen()); // capped by the 18 usable positions
        assertEquals(10, e.tokens()); // stack 4: 40 / 2 = 20 > 18, 40 / 4 = 10
        Params p = Architectures.initialise(cls, null, true, m, DataType.FLOAT32, new SplittableRandom(3));
        assertEquals(new Shape(2, 4), cls.forward(p, m.randomNormal(new Shape(2, 3, 40))).getShape());
        assertArrayEquals(p.get("encoder.embeddings.position_embeddings.weight").get("2:12").toFloatArray(),
                p.get("embedder.position_embeddings.weight").toFloatArray());

        TransferModel dense = Architectures.dense(BertConfig.tinyRoberta(), new long[] {3, 40}, 2);
        Params q = Architectures.initialise(dense, null, false, m, DataType.FLOAT32, new SplittableRandom(4));
        assertEquals(new Shape(2, 2, 40), dense.forward(q, m.randomNormal(new Shape(2, 3, 40))).getShape());
        assertEquals(new Shape(1, 8),
                dense.sourceFeatures(q, m.create(new long[] {0, 5, 6, 2}, new Shape(1, 4))).getShape());

        TransferModel vit = Architectures.classifier(VitConfig.test(), new long[] {2, 30}, 3, 8);
        Params v = Architectures.initialise(vit, null, false, m, DataType.FLOAT32, new SplittableRandom(5));
        assertEquals(new Shape(1, 3), vit.forward(v, m.randomNormal(new Shape(1, 2, 30))).getShape());
    }

    @Test
    void wholeTinyModelGradientsMatchFiniteDifferences() {
        SwinConfig cfg = new SwinConfig(16, 2, 2, 8, List.of(2, 1), List.of(2, 2), 4, 2.0, 1e-5);
        TransferModel model = Architectures.dense(cfg, new long[] {1, 6, 6}, 2);
        Params p = GradCheck.noisy(m, model, 8);
        NDArray x = GradCheck.random(m, new Shape(1, 1, 6, 6), new SplittableRandom(1));
        Params some = Params.empty();
        for (String n : p.names()) {
            // the embedder, the predictor and the last block: checking every tensor again would repeat the
            // encoder test at the price of many forwards
            if (!n.startsWith("encoder.encoder.layers.0") && !n.startsWith("encoder.embeddings.")) {
                some = some.with(n, p.get(n));
            }
        }
        Params frozen = p;
        Map<String, Double> e = GradCheck.errors(m, (q, in) -> model.forward(mergeOver(frozen, q), in), some, x, true,
                1, 1);
        assertTrue(GradCheck.worst(e) < 1e-6, e.toString());
    }

    private static Params mergeOver(Params base, Params over) {
        Params out = base;
        for (String n : over.names()) {
            out = out.with(n, over.get(n));
        }
        return out;
    }

    @Test
    void unsupportedPairsAreTypedErrors() {
        assertThrows(ModelConfigException.class,
                () -> Architectures.classifier(BertConfig.tinyBert(), new long[] {1, 28, 28}, 10));
        assertThrows(ModelConfigException.class,
                () -> Architectures.classifier(SwinConfig.tiny(), new long[] {1, 100}, 10));
        assertThrows(ModelConfigException.class,
                () -> Architectures.classifier(SwinConfig.tiny(), new long[] {1, 2, 3, 4}, 10));
        TransferModel cls = Architectures.classifier(SwinConfig.tiny(), new long[] {1, 28, 28}, 10);
        assertThrows(MissingParameterException.class,
                () -> Architectures.initialise(cls, Params.empty(), false, m, DataType.FLOAT32, new SplittableRandom(1)));
        // a checkpoint of another size: the offending name and both shapes are in the message
        Params wrong = SwinConfig.tiny().build().initialise(m, DataType.FLOAT32, new SplittableRandom(1))
                .with("layernorm.weight", m.ones(new Shape(16)));
        ModelConfigException e = assertThrows(ModelConfigException.class,
                () -> Architectures.initialise(cls, wrong, false, m, DataType.FLOAT32, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("layernorm.weight") && e.getMessage().contains("(32)"), e.getMessage());
        // extra names (buffers) in loaded weights are left out
        Params extra = SwinConfig.tiny().build().initialise(m, DataType.FLOAT32, new SplittableRandom(1))
                .with("encoder.layers.0.blocks.0.attention.self.relative_position_index", m.zeros(new Shape(256)));
        Params full = Architectures.initialise(cls, extra, true, m, DataType.FLOAT32, new SplittableRandom(1));
        assertEquals(cls.parameterShapes().keySet(), full.names());
    }
}
