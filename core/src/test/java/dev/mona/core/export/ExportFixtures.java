package dev.mona.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.HostTensor;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;

import java.util.Map;
import java.util.SplittableRandom;

/** Random parameters and inputs for export tests, far from the near-identity initialisation. */
final class ExportFixtures {
    private ExportFixtures() {}

    /**
     * Parameters of {@code m} with every value drawn afresh: N(0, scale^2), and 1 + N(0, scale^2) for LayerNorm
     * scales, so that every weight visibly contributes to the output.
     */
    static Params randomParams(Module m, NDManager manager, long seed, double scale) {
        Params init = m.initialise(manager, DataType.FLOAT32, new SplittableRandom(seed));
        SplittableRandom r = new SplittableRandom(seed + 1);
        return init.map((name, a) -> {
            float[] v = new float[(int) a.getShape().size()];
            boolean normScale = name.endsWith(".weight") && a.getShape().dimension() == 1;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((normScale ? 1 : 0) + r.nextGaussian() * scale);
            }
            NDArray out = manager.create(v, a.getShape());
            a.close();
            return out;
        });
    }

    static HostTensor randomInput(long seed, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[(int) n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new HostTensor(x, shape);
    }

    static ExportMetadata metadata() {
        return new ExportMetadata("test-task", "CLASSIFICATION", "FT", 3, Map.of("seed", "1", "git", "abc"));
    }
}
