package dev.mona.core.pretrained;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.BertEncoder;
import dev.mona.core.model.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint with the real parameter names of transformers' RobertaForMaskedLM, at a small configuration. */
class HfTextCheckpointTest {
    @TempDir
    Path dir;

    static Map<String, long[]> robertaCheckpointShapes(BertConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        long w = c.width();
        s.put("roberta.embeddings.word_embeddings.weight", new long[]{c.vocabSize(), w});
        s.put("roberta.embeddings.position_embeddings.weight", new long[]{c.maxPositions(), w});
        s.put("roberta.embeddings.token_type_embeddings.weight", new long[]{c.typeVocabSize(), w});
        s.put("roberta.embeddings.LayerNorm.weight", new long[]{w});
        s.put("roberta.embeddings.LayerNorm.bias", new long[]{w});
        s.put("roberta.embeddings.position_ids", new long[]{1, c.maxPositions()});
        for (int i = 0; i < c.layers(); i++) {
            String p = "roberta.encoder.layer." + i + ".";
            for (String q : List.of("query", "key", "value")) {
                s.put(p + "attention.self." + q + ".weight", new long[]{w, w});
                s.put(p + "attention.self." + q + ".bias", new long[]{w});
            }
            s.put(p + "attention.output.dense.weight", new long[]{w, w});
            s.put(p + "attention.output.dense.bias", new long[]{w});
            s.put(p + "attention.output.LayerNorm.weight", new long[]{w});
            s.put(p + "attention.output.LayerNorm.bias", new long[]{w});
            s.put(p + "intermediate.dense.weight", new long[]{c.intermediate(), w});
            s.put(p + "intermediate.dense.bias", new long[]{c.intermediate()});
            s.put(p + "output.dense.weight", new long[]{w, c.intermediate()});
            s.put(p + "output.dense.bias", new long[]{w});
            s.put(p + "output.LayerNorm.weight", new long[]{w});
            s.put(p + "output.LayerNorm.bias", new long[]{w});
        }
        s.put("roberta.pooler.dense.weight", new long[]{w, w});
        s.put("roberta.pooler.dense.bias", new long[]{w});
        s.put("lm_head.dense.weight", new long[]{w, w});
        s.put("lm_head.dense.bias", new long[]{w});
        s.put("lm_head.layer_norm.weight", new long[]{w});
        s.put("lm_head.layer_norm.bias", new long[]{w});
        s.put("lm_head.decoder.weight", new long[]{c.vocabSize(), w});
        s.put("lm_head.bias", new long[]{c.vocabSize()});
        return s;
    }

    @Test
    void robertaCheckpointLoadsWithItsRealNames() {
        BertConfig c = BertConfig.tinyRoberta();
        BertEncoder enc = c.build();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Map<String, long[]> shapes = robertaCheckpointShapes(c);
            Path f = HfCheckpointTest.write(dir.resolve("model.safetensors"), shapes, m);
            Params p = HfCheckpoint.load(f, enc, c.checkpointPrefix(), HfCheckpoint::textIgnored, m);
            assertEquals(enc.parameterShapes().keySet(), p.names());
            int index = List.copyOf(shapes.keySet()).indexOf("roberta.encoder.layer.1.output.dense.bias");
            assertEquals(index + 2e-3f, p.get("encoder.layer.1.output.dense.bias").toFloatArray()[2], 1e-6f);
            NDArray ids = m.create(new long[][]{{0, 5, 7, 2, 1, 1}});
            NDArray y = enc.forward(p, enc.sourceEmbedder().forward(p, ids));
            assertEquals(c.width(), y.getShape().get(2));

            shapes.put("roberta.embeddings.position_embeddings.weight", new long[]{512, c.width()});
            Path g = HfCheckpointTest.write(dir.resolve("bad.safetensors"), shapes, m);
            PretrainedWeightsException e = assertThrows(PretrainedWeightsException.class,
                    () -> HfCheckpoint.load(g, enc, c.checkpointPrefix(), HfCheckpoint::textIgnored, m));
            assertTrue(e.getMessage().contains("roberta.embeddings.position_embeddings.weight")
                    && e.getMessage().contains("[512, 8]") && e.getMessage().contains("[20, 8]"), e.getMessage());
        }
    }
}
