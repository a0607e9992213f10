package dev.mona.activities;

import dev.mona.activities.interim.InterimMlp;
import dev.mona.activities.interim.InterimTasks;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The interim network's hand-written backward pass against central finite differences of its loss. */
class InterimMlpTest {
    @Test
    void sgdStepFollowsTheFiniteDifferenceGradient() {
        DataSplit data = InterimTasks.generate("synthetic-sines", 24, 1).train();
        for (String group : new String[]{"embedder", "encoder", "predictor"}) {
            Map<String, HostTensor> p = InterimMlp.initialise(64, 16, 8, 4, 3);
            String name = group + ".weight";
            int[] probe = {0, 5, 17};
            double[] numeric = new double[probe.length];
            for (int j = 0; j < probe.length; j++) {
                float[] w = p.get(name).data();
                float keep = w[probe[j]];
                double eps = 1e-2;
                w[probe[j]] = (float) (keep + eps);
                double up = InterimMlp.meanLoss(p, "embedder", "predictor", data);
                w[probe[j]] = (float) (keep - eps);
                double down = InterimMlp.meanLoss(p, "embedder", "predictor", data);
                w[probe[j]] = keep;
                numeric[j] = (up - down) / (2 * eps);
            }
            float[] before = p.get(name).data().clone();
            double lr = 1e-3;
            // one full-batch step: w' = w - lr * grad
            InterimMlp.trainEpoch(p, "embedder", "predictor", data, Set.of(group), lr, data.size(), 0, 0, null);
            for (int j = 0; j < probe.length; j++) {
                double analytic = (before[probe[j]] - p.get(name).data()[probe[j]]) / lr;
                assertEquals(numeric[j], analytic, 2e-3 + 0.02 * Math.abs(numeric[j]),
                        group + " weight " + probe[j]);
            }
        }
    }

    @Test
    void frozenGroupsDoNotMove() {
        DataSplit data = InterimTasks.generate("synthetic-bars", 40, 2).train();
        Map<String, HostTensor> p = InterimMlp.initialise(64, 16, 8, 4, 3);
        float[] enc = p.get("encoder.weight").data().clone();
        InterimMlp.trainEpoch(p, "embedder", "predictor", data, Set.of("embedder", "predictor"), 0.1, 8, 0, 0, null);
        assertArrayEquals(enc, p.get("encoder.weight").data());
    }

    @Test
    void probeSeparatesSeparableFeaturesOnly() {
        int n = 200;
        float[] f = new float[n * 2], y = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(0);
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            f[2 * i] = (float) ((i % 2 == 0 ? -3 : 3) + r.nextGaussian() * 0.3);
            f[2 * i + 1] = (float) r.nextGaussian();
        }
        assertEquals(0.0, InterimMlp.probeError(new HostTensor(f, new long[]{n, 2}), new HostTensor(y,
                new long[]{n}), 2, 20), 1e-9);
        float[] noise = new float[n * 2];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) r.nextGaussian();
        double err = InterimMlp.probeError(new HostTensor(noise, new long[]{n, 2}), new HostTensor(y,
                new long[]{n}), 2, 20);
        assertTrue(err > 25, "random features should probe near chance, got " + err);
    }
}
