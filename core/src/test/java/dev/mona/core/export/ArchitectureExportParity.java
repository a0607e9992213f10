package dev.mona.core.export;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.ClassificationPredictor;
import dev.mona.core.model.DensePredictor1d;
import dev.mona.core.model.DensePredictor2d;
import dev.mona.core.model.Embedder1d;
import dev.mona.core.model.Embedder2d;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.TransferModel;
import dev.mona.core.model.VitConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export parity of every architecture: Swin, ViT and BERT/RoBERTa encoders, each with the embedders (2-D, 1-D)
 * and predictors (classification, dense 2-D, dense 1-D) it combines with, through ONNX Runtime against the DJL
 * forward on held-out inputs (max |diff| below 1e-4). Subclasses choose the device.
 */
abstract class ArchitectureExportParity {
    static NDManager manager;

    /** DJL device of the reference forward. */
    abstract Device device();

    /** Whether ONNX Runtime must run on its CUDA execution provider. */
    abstract boolean cuda();

    @BeforeAll
    static void start() {
        Engines.pytorch();
    }

    @AfterAll
    static void stop() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    private ParityReport check(TransferModel model, long[] sampleShape, long[] expectedOut) {
        if (manager == null) {
            manager = Engines.newManager(device());
        }
        Params p = ExportFixtures.randomParams(model, manager, 21, 0.3);
        ExportMetadata meta = ExportFixtures.metadata();
        long[] batch = new long[sampleShape.length + 1];
        batch[0] = 5;
        System.arraycopy(sampleShape, 0, batch, 1, sampleShape.length);
        HostTensor heldOut = ExportFixtures.randomInput(9, batch);
        OnnxExporter.CheckedExport out = OnnxExporter.exportChecked(model, p, sampleShape, meta, heldOut,
                OnnxParity.FP32_TOLERANCE, cuda());
        ParityReport r = out.parity();
        assertTrue(r.passed() && r.maxAbsDiff() < 1e-4, r.toString());
        assertEquals(cuda() ? "CUDA" : "CPU", r.provider());
        assertArrayEquals(expectedOut, out.model().outputShape());
        Map<String, String> props = out.model().metadata();
        assertEquals(model.embedder().getClass().getSimpleName(), props.get("mona.embedder"));
        assertEquals(model.predictor().getClass().getSimpleName(), props.get("mona.predictor"));
        assertEquals(Double.toString(r.maxAbsDiff()), props.get("mona.parity.max_abs_diff"));
        return r;
    }

    @Test
    void swinWith2dEmbedderAndClassifier() {
        TransferModel m = Architectures.classifier(SwinConfig.tiny(), new long[] {2, 9, 11}, 4);
        assertInstanceOf(Embedder2d.class, m.embedder());
        check(m, new long[] {2, 9, 11}, new long[] {4});
    }

    @Test
    void swinWith2dEmbedderAndDensePredictor() {
        TransferModel m = Architectures.dense(SwinConfig.tiny(), new long[] {3, 12, 10}, 2);
        assertInstanceOf(DensePredictor2d.class, m.predictor());
        check(m, new long[] {3, 12, 10}, new long[] {2, 12, 10});
    }

    @Test
    void vitWith2dEmbedderAndClassifier() {
        check(Architectures.classifier(VitConfig.test(), new long[] {1, 5, 7}, 3), new long[] {1, 5, 7},
                new long[] {3});
    }

    @Test
    void vitWith2dEmbedderAndDensePredictor() {
        TransferModel m = Architectures.dense(VitConfig.test(), new long[] {2, 6, 6}, 1);
        check(m, new long[] {2, 6, 6}, new long[] {1, 6, 6});
    }

    @Test
    void vitWith1dEmbedderAndClassifier() {
        TransferModel m = Architectures.classifier(VitConfig.test(), new long[] {2, 12}, 3, 4);
        assertInstanceOf(Embedder1d.class, m.embedder());
        check(m, new long[] {2, 12}, new long[] {3});
    }

    @Test
    void vitWith1dEmbedderAndDensePredictor() {
        TransferModel m = Architectures.dense(VitConfig.test(), new long[] {2, 12}, 2, 4);
        assertInstanceOf(DensePredictor1d.class, m.predictor());
        check(m, new long[] {2, 12}, new long[] {2, 12});
    }

    @Test
    void robertaWith1dEmbedderAndClassifier() {
        TransferModel m = Architectures.classifier(BertConfig.tinyRoberta(), new long[] {3, 30}, 5, 8);
        assertInstanceOf(ClassificationPredictor.class, m.predictor());
        check(m, new long[] {3, 30}, new long[] {5});
    }

    @Test
    void bertWith1dEmbedderAndDensePredictor() {
        EncoderConfig bert = BertConfig.tinyBert();
        TransferModel m = Architectures.dense(bert, new long[] {1, 16}, 1, 4);
        check(m, new long[] {1, 16}, new long[] {1, 16});
    }
}
