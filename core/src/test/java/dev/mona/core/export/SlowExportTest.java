package dev.mona.core.export;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.Params;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.TransferModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export parity at the published sizes (Swin-B 224 with the 2-D embedder and dense predictor, RoBERTa-base with
 * the 1-D embedder), with the encoders' own initialisation. Slow: minutes and several GB of heap.
 * {@code mvn -B -pl core test -Dtest='SlowExportTest' -Dmona.test.excludedGroups= -Dmona.test.groups=slow}.
 */
@Tag("slow")
class SlowExportTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowExportTest.class);

    private static void check(TransferModel model, long[] sample) {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params p = model.initialise(m, ai.djl.ndarray.types.DataType.FLOAT32, new SplittableRandom(4));
            HostTensor x = ExportFixtures.randomInput(2, 2, sample[0], sample[1], sample.length > 2 ? sample[2] : 1);
            if (sample.length == 2) {
                x = new HostTensor(x.data(), new long[] {2, sample[0], sample[1]});
            }
            long t0 = System.nanoTime();
            OnnxExporter.CheckedExport out = OnnxExporter.exportChecked(model, p, sample, ExportFixtures.metadata(),
                    x, OnnxParity.FP32_TOLERANCE, false);
            LOG.info("{}: {} MB, export + parity {} s, {}", model.encoder().getClass().getSimpleName(),
                    out.model().bytes().length >> 20, (System.nanoTime() - t0) / 1e9, out.parity());
            assertTrue(out.parity().passed());
        }
    }

    @Test
    void swinBase224Dense() {
        check(Architectures.dense(SwinConfig.swinBasePatch4Window7_224(), new long[] {3, 64, 64}, 1),
                new long[] {3, 64, 64});
    }

    @Test
    void robertaBaseClassifier() {
        check(Architectures.classifier(BertConfig.robertaBase(), new long[] {4, 1000}, 10), new long[] {4, 1000});
    }
}
