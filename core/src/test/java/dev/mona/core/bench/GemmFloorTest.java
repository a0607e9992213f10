package dev.mona.core.bench;

import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
import dev.mona.core.engine.MatmulPath;
import dev.mona.core.model.VitConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmFloorTest {
    @Test
    void vitTinyWorkMatchesHandCount() {
        VitConfig c = VitConfig.vitTiny();
        // 2048 tokens; per block 192*576 + 192*192 + 192*768 + 768*192 = 442,368 weights, each used by one
        // multiply-add per token forward, and twice backward (dx, dW)
        double linear = 3 * 2.0 * 2048 * 4 * 442_368;
        // attention: 96 head-batches of 64x64x64 products, 2 forward + 4 backward per block
        double attention = 4 * 6 * 2.0 * 96 * 64 * 64 * 64;
        double embed = 2 * 2.0 * 2048 * 48 * 192;
        double head = 3 * 2.0 * 32 * 192 * 10;
        List<GemmFloor.Gemm> train = GemmFloor.trainStep(c, 32, 64, 48, 10);
        assertEquals((linear + attention + embed + head) / 1e9, GemmFloor.gflop(train), 1e-9);
        // meta-step: 10 forward units of linear products against 3 (see the class comment)
        double meta = GemmFloor.gflop(GemmFloor.metaStep(c, 32, 32, 64, 48, 10));
        double linearRatio = (10 * 2.0 * 2048 * 4 * 442_368) / linear;
        assertEquals(10.0 / 3, linearRatio, 1e-12);
        assertTrue(meta / GemmFloor.gflop(train) > 3.3 && meta / GemmFloor.gflop(train) < 3.5,
                "meta/train work " + meta / GemmFloor.gflop(train));
        // a smaller source batch removes work from the source passes only
        double half = GemmFloor.gflop(GemmFloor.metaStep(c, 32, 16, 64, 48, 10));
        assertEquals(meta - half, 0.5 * (3 * 2.0 * 2048 * 4 * 442_368 + attention + 2.0 * 2048 * 48 * 192) / 1e9,
                1e-9);
    }

    @Test
    void replaysEveryProductOnEitherPath() {
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            List<GemmFloor.Gemm> one = List.of(new GemmFloor.Gemm(1, 8, 4, 2, 3), new GemmFloor.Gemm(2, 4, 4, 4, 1));
            for (MatmulPath p : MatmulPath.values()) {
                double ms = GemmFloor.millis(one, m, 3, p);
                assertTrue(ms > 0 && ms < 10_000, p + " ms " + ms);
            }
        }
    }

    @Test
    void peakCoversEveryCpuPathAndFractionsUseTheBest() {
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            Map<MatmulPath, Double> peak = GemmFloor.peak(m, 1);
            assertEquals(List.of(MatmulPath.BLAS, MatmulPath.ONEDNN), List.copyOf(peak.keySet()));
            peak.values().forEach(g -> assertTrue(g > 0 && Double.isFinite(g), "GFLOP/s " + g));
        }
        // 23 GFLOP in 200 ms is 115 GFLOP/s: a quarter of a 460 GFLOP/s peak
        GemmFloor.Result r = new GemmFloor.Result("vit-tiny", "blas (forced)", 100, 330, 3.3, 23, 77,
                Map.of(MatmulPath.BLAS, 230.0, MatmulPath.ONEDNN, 460.0), 200, 770, 900);
        assertEquals(460, r.bestGflops(), 1e-12);
        assertEquals(0.25, r.trainStepPeakFraction(), 1e-12);
        assertEquals(77.0 / 0.77 / 460, r.metaStepPeakFraction(), 1e-12);
        assertTrue(r.toJson().contains("\"peak_gflops_per_s\":{"), r.toJson());
        // bf16 changes the results, so its speed is reported beside the float32 best, never as it
        assertTrue(r.toJson().contains("\"best_gflops_per_s\":460.0")
                && r.toJson().contains("\"bf16_gflops_per_s\":900.0"), r.toJson());
    }
}
