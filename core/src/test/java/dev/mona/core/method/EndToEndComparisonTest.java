package dev.mona.core.method;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.analysis.SourceKnowledge;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.engine.Engines;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.Losses;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.model.VitConfig;
import dev.mona.core.pretrained.SourceClassifier;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;
import dev.mona.core.train.Trainer;
import dev.mona.core.train.TrainerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end comparison on a generated task (a slow check that prints a table, asserting only that every run
 * finished with finite numbers): a small ViT pretrained on generated 4-class "source images" (oriented gratings),
 * transferred to a generated 3-class single-channel 8 x 8 target task with FT, Emb, ORCA and MoNA, 3 seeds each;
 * target test error (%) and the source linear-probe error after fine-tuning.
 */
@Tag("slow")
class EndToEndComparisonTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EndToEndComparisonTest.class);

    /** Gratings with a class-dependent orientation and random phase, plus noise: (n, 3, 16, 16). */
    static DataSplit source(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 3 * 256];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            y[i] = c;
            double angle = Math.PI * c / 4;
            double phase = rng.nextDouble() * 2 * Math.PI;
            for (int ch = 0; ch < 3; ch++) {
                for (int r = 0; r < 16; r++) {
                    for (int q = 0; q < 16; q++) {
                        double t = (Math.cos(angle) * r + Math.sin(angle) * q) * 0.8 + phase;
                        x[((i * 3 + ch) * 16 + r) * 16 + q] = (float) (Math.sin(t) + 0.3 * rng.nextGaussian());
                    }
                }
            }
        }
        return new DataSplit(new HostTensor(x, new long[] {n, 3, 16, 16}), new HostTensor(y, new long[] {n}));
    }

    /** Target: a blob in one of three quadrant-like regions of an 8 x 8 single-channel field, plus noise. */
    static DataSplit target(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            y[i] = c;
            double cr = 2 + 4 * (c % 2) + rng.nextGaussian() * 0.7;
            double cq = 2 + 4 * (c / 2) + rng.nextGaussian() * 0.7;
            for (int r = 0; r < 8; r++) {
                for (int q = 0; q < 8; q++) {
                    double d2 = (r - cr) * (r - cr) + (q - cq) * (q - cq);
                    x[i * 64 + r * 8 + q] = (float) (Math.exp(-d2 / 4) + 0.4 * rng.nextGaussian());
                }
            }
        }
        return new DataSplit(new HostTensor(x, new long[] {n, 1, 8, 8}), new HostTensor(y, new long[] {n}));
    }

    @Test
    void ftEmbOrcaMonaOnAGeneratedTask() {
        VitConfig enc = new VitConfig(16, 4, 3, 32, 2, 2, 64, false, 1e-6);
        DataSplit src = source(480, 1);
        DataSplit probeFit = source(160, 2);
        DataSplit probeEval = source(160, 3);
        TaskData task = new TaskData(target(192, 4), target(64, 5), target(96, 6));
        TrainConfig stage2 = new TrainConfig(4, 16, 1, OptimizerKind.ADAMW, 1e-3, 1e-4, 0, 0, 1.0);
        List<String> rows = new ArrayList<>();
        try (NDManager m = Engines.newManager(Device.cpu())) {
            // pretrain the encoder on the source task
            SourceClassifier clf = new SourceClassifier(enc.build(), 4);
            Params pre = clf.initialise(m, DataType.FLOAT32, new SplittableRandom(0));
            new Trainer(clf, Losses.of(LossKind.CROSS_ENTROPY), MetricKind.ERROR_RATE,
                    new TrainConfig(4, 32, 1, OptimizerKind.ADAMW, 2e-3, 1e-4, 0, 0, 1.0), TrainerOptions.seeded(0))
                    .fit(m, pre, new TaskData(src, probeFit, probeEval));
            Params encoderWeights = pre.scope(SourceClassifier.ENCODER);
            TransferModel model = Architectures.classifier(enc, new long[] {1, 8, 8}, 3);
            Params probeParams = Architectures.initialise(model, encoderWeights, false, m, DataType.FLOAT32,
                    new SplittableRandom(0));
            SourceKnowledge.Report before = SourceKnowledge.measure(model, probeParams, probeFit, probeEval, 4);
            rows.add(String.format("pretrained encoder: source probe error %.1f%%", 100 * before.probeError()));
            Map<String, double[][]> results = new LinkedHashMap<>();
            for (String name : List.of("ft", "emb", "orca", "mona")) {
                double[][] r = new double[3][2];
                for (int seed = 0; seed < 3; seed++) {
                    try (NDManager run = m.newSubManager()) {
                        Params params = Architectures.initialise(model, copy(encoderWeights, run), false, run,
                                DataType.FLOAT32, new SplittableRandom(seed));
                        MethodContext ctx = new MethodContext(model, run, params, task, true, src,
                                Losses.of(LossKind.CROSS_ENTROPY), MetricKind.ERROR_RATE, stage2,
                                TrainerOptions.seeded(seed));
                        Method method = switch (name) {
                            case "ft" -> new Method.FineTune();
                            case "emb" -> new Method.EmbedderWarmup(2, true);
                            case "orca" -> new Method.Orca(new OrcaConfig(6, 240, 0.1, 10, 200, 200,
                                    64, OptimizerKind.ADAM, 1e-3, 0, 0.9, 0.9, 0.999, OrcaConfig.MILESTONES,
                                    OrcaConfig.GAMMA, seed));
                            default -> new Method.Mona(new MonaConfig(1e-3, 0.4, 2, 24, true, UniformityPairs.ALL,
                                    4, 4, 16, OptimizerKind.ADAM, 1e-3, HvpMode.EXACT, 1, seed));
                        };
                        TransferRun.Result res = TransferRun.run(method, ctx);
                        SourceKnowledge.Report after = SourceKnowledge.measure(model, params, probeFit, probeEval, 4);
                        r[seed][0] = res.testMetric();
                        r[seed][1] = 100 * after.probeError();
                        assertTrue(Double.isFinite(r[seed][0]) && Double.isFinite(r[seed][1]), name + " " + seed);
                    }
                }
                results.put(name, r);
            }
            rows.add("| method | target test error % (mean +- sd, 3 seeds) | source probe error % after FT |");
            rows.add("|---|---|---|");
            results.forEach((name, r) -> rows.add(String.format("| %s | %.1f +- %.1f | %.1f +- %.1f |", name,
                    mean(r, 0), sd(r, 0), mean(r, 1), sd(r, 1))));
        }
        rows.forEach(r -> LOG.info("E2E {}", r));
        assertEquals(7, rows.size());
    }

    private static Params copy(Params p, NDManager m) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        p.asMap().forEach((k, v) -> {
            NDArray c = v.duplicate();
            c.attach(m);
            out.put(k, c);
        });
        return Params.of(out);
    }

    private static double mean(double[][] r, int col) {
        double s = 0;
        for (double[] row : r) {
            s += row[col];
        }
        return s / r.length;
    }

    private static double sd(double[][] r, int col) {
        double mu = mean(r, col);
        double s = 0;
        for (double[] row : r) {
            s += (row[col] - mu) * (row[col] - mu);
        }
        return Math.sqrt(s / (r.length - 1));
    }
}
