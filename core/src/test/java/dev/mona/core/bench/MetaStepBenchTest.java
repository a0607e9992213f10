package dev.mona.core.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
import dev.mona.core.method.HvpMode;
import dev.mona.core.method.MonaConfig;
import dev.mona.core.method.TinyModels;
import dev.mona.core.method.UniformityPairs;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.VitConfig;
import dev.mona.core.train.OptimizerKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MetaStepBenchTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MetaStepBenchTest.class);

    @Test
    void benchRunsOnATinyModelAndReportsFigures() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            MonaConfig c = new MonaConfig(1e-3, 0.4, 2, 1, true, UniformityPairs.ALL, 2, 3, 4,
                    OptimizerKind.ADAM, 1e-3, HvpMode.EXACT, MonaConfig.DEFAULT_DIAGNOSTICS_EVERY, 1);
            MetaStepBench.Result r = MetaStepBench.run("tiny", TinyModels.model(3, 5, 8, 3), m,
                    new long[] {4, 4, 3}, new long[] {6, 4, 5}, 3, c, 3, 1);
            assertTrue(r.msPerStep() > 0 && r.msPerTrainStep() > 0 && r.peakRssMb() > 0, r.toJson());
            assertTrue(r.toJson().contains("\"ratio_to_train_step\":"), r.toJson());
        }
    }

    /** Memory flatness: 300 exact meta-steps on a small ViT; resident memory within 10% of that after 30. */
    @Test
    @Tag("slow")
    void threeHundredMetaStepsKeepResidentMemoryFlat() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            VitConfig enc = new VitConfig(16, 4, 3, 64, 2, 2, 128, false, 1e-6);
            MonaConfig c = new MonaConfig(1e-3, 0.4, 2, 300, true, UniformityPairs.ALL, 4, 4, 16,
                    OptimizerKind.ADAM, 1e-3, HvpMode.EXACT, MonaConfig.DEFAULT_DIAGNOSTICS_EVERY, 1);
            MetaStepBench.Result r = MetaStepBench.run("vit-small-test", Architectures.classifier(enc,
                    new long[] {3, 16, 16}, 10), m, new long[] {16, 3, 16, 16}, new long[] {16, 3, 16, 16}, 10, c,
                    300, 30);
            LOG.info("MEMORY rss after 30 meta-steps {} MB, after 300 {} MB, peak {} MB ({})", r.rssAfterWarmupMb(),
                    r.rssEndMb(), r.peakRssMb(), r.toJson());
            assertTrue(r.rssEndMb() <= 1.10 * r.rssAfterWarmupMb(), r.toJson());
        }
    }

    /** The CLI bench at ViT-Tiny size: prints the figures (timings live in benches, not assertions). */
    @Test
    @Tag("slow")
    void vitTinyBench() {
        MetaStepBench.Result r = MetaStepBench.run("vit-tiny", Integer.getInteger("bench.steps", 10));
        LOG.info("BENCH {}", r.toJson());
    }
}
