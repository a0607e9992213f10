package dev.mona.core.method;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
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
                    OptimizerKind.ADAM, 1e-3, HvpMode.EXACT, 1);
            MetaStepBench.Result r = MetaStepBench.run("tiny", TinyModels.model(3, 5, 8, 3), m,
                    new long[] {4, 4, 3}, new long[] {6, 4, 5}, 3, c, 3, 1);
            assertTrue(r.msPerStep() > 0 && r.msPerTrainStep() > 0 && r.peakRssMb() > 0, r.toJson());
            assertTrue(r.toJson().contains("\"ratio_to_train_step\":"), r.toJson());
        }
    }

    @Test
    @Tag("slow")
    void vitTinyStandIn() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            MonaConfig c = new MonaConfig(1e-4, 0.4, 2, 1, true, UniformityPairs.ALL, 4, 8, 32,
                    OptimizerKind.ADAM, 1e-4, HvpMode.EXACT, 1);
            MetaStepBench.Result r = MetaStepBench.run("vit-tiny-standin", BenchVit.vitTiny(), m,
                    new long[] {32, 3, 32, 32}, new long[] {32, 3, 32, 32}, 10, c,
                    Integer.getInteger("bench.steps", 10), 5);
            LOG.info("BENCH {}", r.toJson());
        }
    }
}
