package dev.mona.core.pretrained;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.BertEncoder;
import dev.mona.core.model.Params;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 read from the ONNX file into the project's BERT encoder reproduces ONNX Runtime's output of
 * the original graph on the same tokens: an independent oracle for both the weight mapping and the encoder.
 */
class MiniLmTest {
    static byte[] onnx;
    static Map<String, NamedTensor> weights;

    @BeforeAll
    static void read() {
        onnx = MiniLm.onnxBytes();
        weights = MiniLm.weights(onnx);
    }

    @Test
    void everyParameterIsNamedWithItsBertShape() {
        assertEquals(MiniLm.expectedShapes().keySet(), weights.keySet());
        BertEncoder enc = BertConfig.allMiniLmL6V2().build();
        assertEquals(enc.parameterShapes().keySet(), weights.keySet());
        enc.parameterShapes().forEach((name, shape) ->
                assertArrayEquals(shape.getShape(), weights.get(name).shape(), name));
        assertEquals("encoder.layer.4.output.dense.weight",
                MiniLm.nodeToParameter("/encoder/layer.4/output/dense/MatMul"));
        assertThrows(PretrainedWeightsException.class, () -> MiniLm.nodeToParameter("MatMul_17"));
    }

    @Test
    void lastHiddenStateMatchesOnnxRuntimeWithin1e4() throws OrtException {
        String[] texts = {"Cross-modal transfer reuses a pretrained transformer for spectrograms and PDE fields.",
                "Hello world!"};
        long[][] ids;
        long[][] mask;
        try (HuggingFaceTokenizer tok = MiniLm.tokenizer()) {
            Encoding[] enc = {tok.encode(texts[0]), tok.encode(texts[1])};
            int len = Math.max(enc[0].getIds().length, enc[1].getIds().length);
            ids = new long[2][len];
            mask = new long[2][len];
            for (int b = 0; b < 2; b++) {
                long[] raw = enc[b].getIds();
                System.arraycopy(raw, 0, ids[b], 0, raw.length);
                for (int j = 0; j < raw.length; j++) {
                    mask[b][j] = 1;
                }
            }
        }
        assertTrue(mask[0][ids[0].length - 1] == 0 || mask[1][ids[1].length - 1] == 0,
                "the shorter text is padded, so the attention mask is exercised");
        float[][][] expected = onnxRuntime(ids, mask);

        BertEncoder encoder = BertConfig.allMiniLmL6V2().build();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = MiniLm.params(m, weights);
            NDArray idArray = m.create(ids);
            NDArray maskArray = m.create(mask);
            NDArray hidden = encoder.forward(p, encoder.sourceEmbedder().forward(p, idArray), maskArray);
            assertEquals(new Shape(2, ids[0].length, 384), hidden.getShape());
            float[] got = hidden.toFloatArray();
            double worst = 0;
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < ids[0].length; t++) {
                    if (mask[b][t] == 0) {
                        continue; // padded positions are not defined by either model
                    }
                    for (int c = 0; c < 384; c++) {
                        worst = Math.max(worst, Math.abs(got[(b * ids[0].length + t) * 384 + c] - expected[b][t][c]));
                    }
                }
            }
            LoggerFactory.getLogger(MiniLmTest.class).info("MiniLM last hidden state: max |mona - onnxruntime| = {}",
                    worst);
            assertTrue(worst < 1e-4, "max |mona - onnxruntime| = " + worst);
        }
    }

    static float[][][] onnxRuntime(long[][] ids, long[][] mask) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            try (OrtSession s = env.createSession(onnx, o);
                 OnnxTensor i = OnnxTensor.createTensor(env, ids);
                 OnnxTensor a = OnnxTensor.createTensor(env, mask);
                 OnnxTensor t = OnnxTensor.createTensor(env, new long[ids.length][ids[0].length]);
                 OrtSession.Result r = s.run(Map.of("input_ids", i, "attention_mask", a, "token_type_ids", t))) {
                return (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
            }
        }
    }
}
