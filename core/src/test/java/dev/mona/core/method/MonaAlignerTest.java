package dev.mona.core.method;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.DataSplit;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.Autograd;
import dev.mona.core.train.OptimizerKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonaAlignerTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MonaAlignerTest.class);
    static final double ALPHA = 0.5;
    static final double LAMBDA = 0.4;

    static MonaConfig config(HvpMode mode, UniformityPairs pairs) {
        return new MonaConfig(ALPHA, LAMBDA, 2.0, 3, true, pairs, 2, 3, 4, OptimizerKind.ADAM, 1e-2, mode, 1, 7L);
    }

    /**
     * The independent reference: Phi(phi) = L_in(phi, theta) + lambda L_out(theta - alpha grad_theta L_in(phi, theta)),
     * evaluated with first-order gradients only, differentiated by central differences in float64.
     */
    static double objective(TransferModel model, Params params, NDArray xt, NDArray yt, NDArray xs, int[] ys,
                            MonaConfig c) {
        return Autograd.withGradMode(true, () -> {
            try (NDManager m = xt.getManager().newSubManager()) {
                Map<String, NDArray> leaves = new java.util.LinkedHashMap<>();
                params.asMap().forEach((k, v) -> {
                    NDArray l = v.duplicate();
                    l.attach(m);
                    if (k.startsWith(TransferModel.ENCODER)) {
                        l.setRequiresGradient(true);
                    }
                    leaves.put(k, l);
                });
                NDArray xt2 = xt.duplicate();
                xt2.attach(m);
                NDArray lin = dev.mona.core.metric.Losses.of(dev.mona.core.metric.LossKind.CROSS_ENTROPY).apply(model.forward(Params.of(leaves), xt2), yt);
                List<String> enc = leaves.keySet().stream().filter(k -> k.startsWith(TransferModel.ENCODER)).toList();
                var g = Autograd.grad(lin, enc.stream().map(leaves::get).toList());
                Map<String, NDArray> prime = new java.util.LinkedHashMap<>();
                for (int i = 0; i < enc.size(); i++) {
                    prime.put(enc.get(i), leaves.get(enc.get(i)).sub(g.get(i).mul(c.innerLearningRate())));
                }
                Params e = Params.of(prime).scope(TransferModel.ENCODER);
                NDArray tokens = model.encoder().forward(e, model.encoder().sourceEmbedder().forward(e, xs));
                NDArray z = AlignmentUniformity.normalize(tokens.mean(new int[] {1}));
                double lout = AlignmentUniformity.alignment(z, ys).getDouble()
                        + AlignmentUniformity.uniformity(z, ys, c.temperature(), c.uniformityPairs()).getDouble();
                return lin.getDouble() + c.lambda() * lout;
            }
        });
    }

    static Map<String, double[]> finiteDifferences(TransferModel model, Params params, NDArray xt, NDArray yt,
                                                   NDArray xs, int[] ys, MonaConfig c) {
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        double h = 1e-5;
        for (String name : params.names()) {
            if (!name.startsWith(TransferModel.EMBEDDER)) {
                continue;
            }
            NDArray p = params.get(name);
            double[] base = p.toDoubleArray();
            double[] grad = new double[base.length];
            for (int i = 0; i < base.length; i++) {
                double[] d = base.clone();
                d[i] += h;
                double fp = objective(model, params.with(name, p.getManager().create(d, p.getShape())), xt, yt, xs, ys, c);
                d[i] -= 2 * h;
                double fm = objective(model, params.with(name, p.getManager().create(d, p.getShape())), xt, yt, xs, ys, c);
                grad[i] = (fp - fm) / (2 * h);
            }
            out.put(name, grad);
        }
        return out;
    }

    static double relativeError(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    record Setup(TransferModel model, Params params, NDArray xt, NDArray yt, NDArray xs, int[] ys) {}

    static Setup setup(NDManager m) {
        TransferModel model = TinyModels.model(3, 5, 8, 3);
        Params params = model.initialise(m, DataType.FLOAT64, new SplittableRandom(11));
        DataSplit target = TinyModels.split(4, 4, 3, 3, 1);
        DataSplit source = TinyModels.split(6, 4, 5, 2, 2);
        NDArray xt = m.create(target.x().data(), new Shape(target.x().shape())).toType(DataType.FLOAT64, false);
        NDArray yt = m.create(target.y().data(), new Shape(target.y().shape())).toType(DataType.FLOAT64, false);
        NDArray xs = m.create(source.x().data(), new Shape(source.x().shape())).toType(DataType.FLOAT64, false);
        return new Setup(model, params, xt, yt, xs, MonaAligner.labels(source.y().data()));
    }

    @Test
    void exactMetaGradientMatchesFiniteDifferencesAndFirstOrderDoesNot() {
        for (UniformityPairs pairs : UniformityPairs.values()) {
            try (NDManager m = Engines.newManager(Device.cpu())) {
                Setup s = setup(m);
                MonaConfig c = config(HvpMode.EXACT, pairs);
                MonaAligner aligner = new MonaAligner(s.model(), c, dev.mona.core.metric.Losses.of(dev.mona.core.metric.LossKind.CROSS_ENTROPY));
                Map<String, double[]> fd = finiteDifferences(s.model(), s.params(), s.xt(), s.yt(), s.xs(), s.ys(), c);
                Map<String, NDArray> exact = aligner.metaGradient(s.params(), s.xt(), s.yt(), s.xs(), s.ys(),
                        HvpMode.EXACT);
                Map<String, NDArray> first = aligner.firstOrderGradient(s.params(), s.xt(), s.yt(), s.xs(), s.ys());
                Map<String, NDArray> hvpFd = aligner.metaGradient(s.params(), s.xt(), s.yt(), s.xs(), s.ys(),
                        HvpMode.FD);
                assertEquals(fd.keySet(), exact.keySet());
                for (String name : fd.keySet()) {
                    double eExact = relativeError(exact.get(name).toDoubleArray(), fd.get(name));
                    double eFirst = relativeError(first.get(name).toDoubleArray(), fd.get(name));
                    double eHvp = relativeError(hvpFd.get(name).toDoubleArray(), fd.get(name));
                    LOG.info("meta-gradient relative errors vs central differences: " + pairs + " " + name + " exact=" + eExact + " first=" + eFirst + " hvp=" + eHvp);
                    assertTrue(eExact < 1e-5, pairs + " " + name + ": exact meta-gradient off by " + eExact);
                    assertTrue(eFirst > 1e-2 && eFirst > 1000 * eExact,
                            pairs + " " + name + ": first-order error " + eFirst + " vs exact " + eExact);
                    assertTrue(eHvp < 1e-3, pairs + " " + name + ": fd-hvp meta-gradient off by " + eHvp);
                }
            }
        }
    }

    /**
     * The diagnostics' split of the meta-gradient, against independent computations at the same weights and batch:
     * the knowledge term against the full meta-gradient minus the one with lambda = 0 (the full one is checked
     * against central differences above), the direct term against the lambda = 0 gradient, and the source batch's
     * alignment and uniformity before and after the inner step against the host formulas on the encoder's pooled
     * features.
     */
    @Test
    void knowledgeTermIsTheMetaGradientMinusTheLambdaZeroGradient() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Setup s = setup(m);
            MonaConfig c = config(HvpMode.EXACT, UniformityPairs.ALL);
            MonaConfig c0 = new MonaConfig(ALPHA, 0, 2.0, 3, true, UniformityPairs.ALL, 2, 3, 4, OptimizerKind.ADAM,
                    1e-2, HvpMode.EXACT, 1, 7L);
            var loss = dev.mona.core.metric.Losses.of(dev.mona.core.metric.LossKind.CROSS_ENTROPY);
            MonaAligner aligner = new MonaAligner(s.model(), c, loss);
            MonaAligner.MetaGradient parts = aligner.metaGradientParts(s.params(), s.xt(), s.yt(), s.xs(), s.ys(),
                    HvpMode.EXACT);
            MonaAligner.MetaStep step = parts.step();
            Map<String, NDArray> full = aligner.metaGradient(s.params(), s.xt(), s.yt(), s.xs(), s.ys(),
                    HvpMode.EXACT);
            Map<String, NDArray> zero = new MonaAligner(s.model(), c0, loss).metaGradient(s.params(), s.xt(), s.yt(),
                    s.xs(), s.ys(), HvpMode.EXACT);
            double[] knowledge = concat(full.keySet().stream().map(k -> minus(full.get(k).toDoubleArray(),
                    zero.get(k).toDoubleArray())).toList());
            double[] direct = concat(zero.values().stream().map(NDArray::toDoubleArray).toList());
            LOG.info("knowledge norm {} (full - lambda 0: {}), direct {}, ratio {}, cosine {}", step.knowledgeNorm(),
                    norm(knowledge), step.directNorm(), step.ratio(), step.cosine());
            assertTrue(norm(knowledge) > 1e-3 * norm(direct), "the test point needs a knowledge term: "
                    + norm(knowledge) + " vs " + norm(direct));
            assertEquals(norm(knowledge), step.knowledgeNorm(), 1e-10 * norm(knowledge));
            assertEquals(norm(direct), step.directNorm(), 1e-10 * norm(direct));
            assertEquals(dot(direct, knowledge) / (norm(direct) * norm(knowledge)), step.cosine(), 1e-10);
            assertEquals(step.knowledgeNorm() / step.directNorm(), step.ratio(), 1e-12);
            // the parts as arrays: knowledge equals full - zero element by element, and they sum to the total
            double[] parted = concat(parts.knowledge().values().stream().map(NDArray::toDoubleArray).toList());
            assertTrue(relativeError(parted, knowledge) < 1e-10, "knowledge part off by "
                    + relativeError(parted, knowledge));
            // the central-difference Hessian-vector product splits the same way, to its own accuracy
            MonaAligner.MetaStep fdStep = aligner.metaGradientParts(s.params(), s.xt(), s.yt(), s.xs(), s.ys(),
                    HvpMode.FD).step();
            assertEquals(step.knowledgeNorm(), fdStep.knowledgeNorm(), 1e-3 * step.knowledgeNorm());
            assertEquals(step.directNorm(), fdStep.directNorm(), 1e-12 * step.directNorm());

            // alignment and uniformity of the source batch at theta (before) and at theta' (after the inner step)
            double[][] before = pooledSourceFeatures(s.model(), s.params(), s.xs());
            assertEquals(AlignmentUniformity.alignment(before, s.ys()), step.alignmentBefore(), 1e-10);
            assertEquals(AlignmentUniformity.uniformity(before, s.ys(), c.temperature(), c.uniformityPairs()),
                    step.uniformityBefore(), 1e-10);
            double[][] after = pooledSourceFeatures(s.model(), innerStep(s, c, loss), s.xs());
            assertEquals(AlignmentUniformity.alignment(after, s.ys()), step.alignment(), 1e-10);
            assertEquals(AlignmentUniformity.uniformity(after, s.ys(), c.temperature(), c.uniformityPairs()),
                    step.uniformity(), 1e-10);
            assertTrue(Math.abs(step.alignment() - step.alignmentBefore()) > 1e-8, "the inner step moved nothing");

            // a meta-step that skips the before-step pass (mona.diagnostics-every): NaN there, all else the same bits
            MonaAligner.MetaGradient skip = aligner.metaGradientParts(s.params(), s.xt(), s.yt(), s.xs(), s.ys(),
                    HvpMode.EXACT, false);
            assertTrue(Double.isNaN(skip.step().alignmentBefore()) && Double.isNaN(skip.step().uniformityBefore()));
            assertEquals(new MonaAligner.MetaStep(step.innerLoss(), step.outerLoss(), step.alignment(),
                    step.uniformity(), Double.NaN, Double.NaN, step.directNorm(), step.knowledgeNorm(),
                    step.cosine()), skip.step());
            skip.total().forEach((k, v) -> assertArrayEquals(parts.total().get(k).toDoubleArray(), v.toDoubleArray(),
                    k));
        }
    }

    /** The encoder after one inner SGD step of size alpha on the target batch (first-order gradients only). */
    private static Params innerStep(Setup s, MonaConfig c, dev.mona.core.metric.Loss loss) {
        return Autograd.withGradMode(true, () -> {
            Map<String, NDArray> leaves = new java.util.LinkedHashMap<>();
            s.params().asMap().forEach((k, v) -> {
                NDArray l = v.duplicate();
                if (k.startsWith(TransferModel.ENCODER)) {
                    l.setRequiresGradient(true);
                }
                leaves.put(k, l);
            });
            NDArray lin = loss.apply(s.model().forward(Params.of(leaves), s.xt()), s.yt());
            List<String> enc = leaves.keySet().stream().filter(k -> k.startsWith(TransferModel.ENCODER)).toList();
            var g = Autograd.grad(lin, enc.stream().map(leaves::get).toList());
            Map<String, NDArray> out = new java.util.LinkedHashMap<>(leaves);
            for (int i = 0; i < enc.size(); i++) {
                out.put(enc.get(i), leaves.get(enc.get(i)).sub(g.get(i).mul(c.innerLearningRate())).stopGradient());
            }
            return Params.of(out);
        });
    }

    private static double[][] pooledSourceFeatures(TransferModel model, Params params, NDArray xs) {
        Params e = params.scope(TransferModel.ENCODER);
        NDArray pooled = model.encoder().forward(e, model.encoder().sourceEmbedder().forward(e, xs))
                .mean(new int[] {1});
        int n = (int) pooled.getShape().get(0);
        int d = (int) pooled.getShape().get(1);
        double[] flat = pooled.toDoubleArray();
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
        return out;
    }

    private static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    @Test
    void alignMovesOnlyTheEmbedderAndKeepsEncoderAndPredictor() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            TransferModel model = TinyModels.model(3, 5, 8, 3);
            Params params = model.initialise(m, DataType.FLOAT32, new SplittableRandom(3));
            Map<String, float[]> before = new java.util.HashMap<>();
            params.asMap().forEach((k, v) -> before.put(k, v.toFloatArray()));
            MonaConfig c = config(HvpMode.EXACT, UniformityPairs.ALL);
            List<MonaAligner.MetaStep> steps = new MonaAligner(model, c, dev.mona.core.metric.Losses.of(dev.mona.core.metric.LossKind.CROSS_ENTROPY))
                    .align(params, TinyModels.split(12, 4, 3, 3, 5), TinyModels.split(12, 4, 5, 3, 6));
            assertEquals(3, steps.size());
            params.asMap().forEach((k, v) -> {
                boolean same = java.util.Arrays.equals(before.get(k), v.toFloatArray());
                assertEquals(!k.startsWith(TransferModel.EMBEDDER), same, k + " changed=" + !same);
            });
            steps.forEach(st -> assertTrue(Double.isFinite(st.innerLoss()) && Double.isFinite(st.outerLoss())));
        }
    }

    @Test
    void sourceBatchesHoldKClassesOfMSamples() {
        DataSplit src = TinyModels.split(40, 1, 1, 5, 1);
        SourceBatchSampler s = new SourceBatchSampler(src, 3, 4, 9);
        for (int r = 0; r < 10; r++) {
            int[] rows = s.next();
            assertEquals(12, rows.length);
            int[] labels = MonaAligner.labels(src.y().rows(rows).data());
            for (int c = 0; c < 3; c++) {
                for (int j = 1; j < 4; j++) {
                    assertEquals(labels[c * 4], labels[c * 4 + j]);
                }
                assertEquals(4, java.util.Arrays.stream(rows, c * 4, c * 4 + 4).distinct().count());
            }
            assertEquals(3, java.util.Arrays.stream(labels).distinct().count());
        }
        assertArrayEquals(new SourceBatchSampler(src, 3, 4, 9).next(), new SourceBatchSampler(src, 3, 4, 9).next());
    }
}
