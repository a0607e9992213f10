package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.DataSplit;
import dev.mona.core.metric.Loss;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.Autograd;
import dev.mona.core.train.HostBatchLoader;
import dev.mona.core.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MoNA stage 1 (METHOD.md section 4): meta-learns the target embedder {@code phi} so that one fine-tuning step of
 * the encoder keeps the source features aligned and uniform. Per meta-iteration, on a target batch {@code B_t} and
 * a labelled source batch {@code B_s} (k classes x m samples):
 * <pre>
 *   L_in     = L_task(h_psi(f_theta(e_phi(x_t))), y_t)
 *   theta'   = theta - alpha grad_theta L_in                      (one inner SGD step)
 *   z_i      = normalize(mean_tokens(f_theta'(e_src(x_s_i))))      (pretrained SOURCE embedder)
 *   L_out    = L_align(z) + L_unif(z)
 *   phi     &lt;- outer step on grad_phi [L_in + lambda L_out(theta'(phi))]
 * </pre>
 * Source samples never pass the target embedder, so {@code L_out} reaches {@code phi} only through the inner
 * gradient: {@code grad_phi L_out = -alpha grad_phi[(grad_theta L_in) . v]} with {@code v = grad_theta' L_out}.
 *
 * <p>{@link HvpMode#EXACT} computes it with one target forward and three {@code torch.autograd.grad} calls:
 * {@code g = grad_theta L_in} and the direct part {@code grad_phi L_in} with create_graph (the forward graph is
 * kept, not recomputed); {@code v} first-order through the source pass at the detached values {@code theta'}; then
 * the knowledge-preservation part, one backward of {@code g} seeded with {@code -alpha lambda v}, with respect to
 * {@code phi} only. The two parts are kept apart ({@link MetaGradient}) so that every meta-step reports their
 * norms, ratio and cosine ({@link MetaStep}); the outer step follows their sum. No {@code .grad} is written and
 * every array of the step lives in a sub-manager closed at its end, so memory stays flat.
 * {@link HvpMode#FD} replaces the double backward by central differences of {@code grad_phi L_in} along {@code v}.
 * The norms and the cosine come to the host as one three-number copy. The one diagnostic that needs a pass of its
 * own, the source batch's alignment and uniformity before the inner step (a forward at {@code theta}, about a tenth
 * of a meta-step), is taken on every {@link MonaConfig#diagnosticsEvery()}-th meta-step only, with no graph and
 * its arrays freed as soon as the two numbers are read (kept to the end of the step, they raised the step's peak
 * memory by a third).
 *
 * <p>The encoder and the predictor are never modified (the inner step produces new arrays), so they are at their
 * stage-1 starting values after every meta-iteration; only {@code phi} moves. With a single inner step the
 * predictor's inner update cannot reach {@code L_out} (source features do not pass the predictor), so
 * {@link MonaConfig#predictorInInnerStep()} only decides whether its inner gradient is formed.
 */
public final class MonaAligner {
    private static final Logger LOG = LoggerFactory.getLogger(MonaAligner.class);

    private final TransferModel model;
    private final MonaConfig config;
    private final Loss loss;
    /**
     * Full names of the encoder's own source embedding layer. It is unused by the target path (Encoder contract):
     * its inner gradient is zero, so it stays out of the inner step and the source pass never back-propagates into it.
     */
    private final Set<String> sourceLayer;

    /**
     * Losses and diagnostics of one meta-iteration (METHOD.md section 4, PAPER-NOTES 8.3): whether the
     * knowledge-preservation term reaches the embedder at all is read from {@link #ratio()}.
     *
     * @param innerLoss        L_in on the target batch
     * @param outerLoss        L_out = L_align + L_unif at theta' (after the inner step)
     * @param alignment        L_align of the source features at theta'
     * @param uniformity       L_unif of the source features at theta'
     * @param alignmentBefore  L_align of the same source batch at theta (before the inner step); NaN on the
     *                         meta-steps that skip it ({@link MonaConfig#diagnosesBefore(int)})
     * @param uniformityBefore L_unif of the same source batch at theta; NaN where alignmentBefore is
     * @param directNorm       ||grad_phi L_in||, the direct gradient (Emb's gradient)
     * @param knowledgeNorm    ||lambda grad_phi L_out(theta'(phi))||, the second-order knowledge-preservation term
     * @param cosine           cosine between the two terms (NaN when either is zero)
     */
    public record MetaStep(double innerLoss, double outerLoss, double alignment, double uniformity,
                           double alignmentBefore, double uniformityBefore, double directNorm, double knowledgeNorm,
                           double cosine) {
        /** {@code knowledgeNorm / directNorm}: near zero, MoNA's update is Emb's. */
        public double ratio() {
            return knowledgeNorm / directNorm;
        }
    }

    /**
     * {@code grad_phi L_total} of one meta-iteration as its two exact parts, by full embedder name, in the step's
     * manager: {@code direct = grad_phi L_in} and {@code knowledge = lambda grad_phi L_out(theta'(phi))} (empty for
     * the first-order gradient), with the step's losses and diagnostics.
     */
    public record MetaGradient(Map<String, NDArray> direct, Map<String, NDArray> knowledge, MetaStep step) {
        /** {@code direct + knowledge}: what the outer step follows. */
        public Map<String, NDArray> total() {
            if (knowledge.isEmpty()) {
                return direct;
            }
            Map<String, NDArray> out = new LinkedHashMap<>();
            Autograd.noGrad(() -> direct.forEach((k, d) -> out.put(k, d.add(knowledge.get(k)))));
            return out;
        }
    }

    public MonaAligner(TransferModel model, MonaConfig config, Loss loss) {
        this.model = model;
        this.config = config;
        this.loss = loss;
        Set<String> names = new HashSet<>();
        model.encoder().sourceEmbedder().parameterShapes().keySet()
                .forEach(n -> names.add(TransferModel.ENCODER + n));
        this.sourceLayer = Set.copyOf(names);
    }

    public MonaConfig config() {
        return config;
    }

    /**
     * Runs {@link MonaConfig#steps()} meta-iterations, updating the embedder arrays of {@code params} in place
     * (the encoder and predictor arrays are left as they are). Returns the per-step losses.
     */
    public List<MetaStep> align(Params params, DataSplit target, DataSplit source) {
        return align(params, target, source, Stage1Options.none());
    }

    /**
     * {@link #align(Params, DataSplit, DataSplit)} reporting each meta-step to {@code options}' listeners (loss
     * {@code L_in + lambda L_out}, learning rate beta) and checkpointing the embedder, the outer optimiser and the
     * position to its directory; when that directory holds a checkpoint, the run continues from it (the samplers,
     * seeded by the configuration, are fast-forwarded past the batches already drawn) and returns every step's
     * losses, those before the checkpoint included.
     */
    public List<MetaStep> align(Params params, DataSplit target, DataSplit source, Stage1Options options) {
        Map<String, NDArray> phi = embedderArrays(params);
        if (phi.isEmpty()) {
            throw new IllegalArgumentException("no embedder parameters in " + params);
        }
        NDManager base = phi.values().iterator().next().getManager();
        SourceBatchSampler sourceSampler = new SourceBatchSampler(source, config.sourceClasses(),
                config.samplesPerClass(), config.seed());
        TargetBatchSampler targetSampler = new TargetBatchSampler(target.size(), config.targetBatchSize(),
                config.seed() ^ 0x5DEECE66DL);
        List<MetaStep> history = new ArrayList<>();
        HostBatchLoader loader = new HostBatchLoader();
        Stage1Loop loop = new Stage1Loop("MoNA", options, config.steps());
        try (NDManager state = base.newSubManager()) {
            OuterOptimizer opt = new OuterOptimizer(config.outerOptimizer(), config.outerLearningRate(), 0, state);
            loop.resume(phi, opt, config, Checkpointed.class).ifPresent(c -> history.addAll(c.history()));
            for (int s = 0; s < history.size(); s++) {
                targetSampler.next();
                sourceSampler.next();
            }
            for (int s = history.size(); s < config.steps(); s++) {
                MetaStep step = step(params, target, source, targetSampler.next(), sourceSampler.next(), opt, phi,
                        loader, s);
                history.add(step);
                if (s % 20 == 0 || s == config.steps() - 1) {
                    LOG.info("MoNA meta-step {}/{}: L_in={} L_out={} (align {} unif {}) |knowledge|/|direct|={} "
                            + "cos={}", s + 1, config.steps(), step.innerLoss(), step.outerLoss(), step.alignment(),
                            step.uniformity(), step.ratio(), step.cosine());
                }
                loop.stepDone(new TrainingListener.Progress(0, s + 1, config.steps(), s + 1, config.steps(),
                                step.innerLoss() + config.lambda() * step.outerLoss(), config.outerLearningRate()),
                        Stage1Step.mona(s + 1, step), phi, opt,
                        () -> new Checkpointed(history.size(), config, history));
            }
        }
        return history;
    }

    /** A MoNA checkpoint's {@code state.json}: meta-steps done, the configuration, every step's losses so far. */
    record Checkpointed(long step, MonaConfig config, List<MetaStep> history) implements Stage1Loop.State {
        Checkpointed {
            history = List.copyOf(history);
        }
    }

    /** One meta-iteration on the given sample indices, with its own sub-manager. */
    MetaStep step(Params params, DataSplit target, DataSplit source, int[] targetRows, int[] sourceRows,
                  OuterOptimizer opt, Map<String, NDArray> phi, HostBatchLoader loader, int stepIndex) {
        NDManager base = phi.values().iterator().next().getManager();
        try (NDManager sm = base.newSubManager()) {
            DataType dtype = phi.values().iterator().next().getDataType();
            NDArray xt = loader.load(target.x().rows(targetRows), sm, dtype);
            NDArray yt = loader.load(target.y().rows(targetRows), sm, dtype);
            NDArray xs = loader.load(source.x().rows(sourceRows), sm, sourceType(model, dtype));
            int[] ys = labels(source.y().rows(sourceRows).data());
            MetaGradient g = metaGradientParts(params, xt, yt, xs, ys, config.hvp(),
                    config.diagnosesBefore(stepIndex));
            opt.step(phi, g.total());
            return g.step();
        }
    }

    /**
     * {@code grad_phi L_total} for every embedder parameter (names with the {@code embedder.} prefix), in
     * {@code xt}'s manager.
     */
    public Map<String, NDArray> metaGradient(Params params, NDArray xt, NDArray yt, NDArray xs, int[] ys,
                                             HvpMode mode) {
        return Autograd.withGradMode(true, () -> compute(params, xt, yt, xs, ys, mode, false, false)).total();
    }

    /**
     * {@link #metaGradient} as its direct and knowledge-preservation parts, with the step's diagnostics. Both parts
     * come out of the passes the meta-gradient needs anyway: the direct part from the first backward (taken with
     * respect to phi as well as theta), the knowledge part from the second-order backward alone.
     */
    public MetaGradient metaGradientParts(Params params, NDArray xt, NDArray yt, NDArray xs, int[] ys,
                                          HvpMode mode) {
        return metaGradientParts(params, xt, yt, xs, ys, mode, true);
    }

    /**
     * {@link #metaGradientParts(Params, NDArray, NDArray, NDArray, int[], HvpMode)}, with the source batch's
     * alignment and uniformity before the inner step only when {@code before} (else NaN in {@link MetaStep}); the
     * gradient does not depend on it.
     */
    public MetaGradient metaGradientParts(Params params, NDArray xt, NDArray yt, NDArray xs, int[] ys,
                                          HvpMode mode, boolean before) {
        return Autograd.withGradMode(true, () -> compute(params, xt, yt, xs, ys, mode, false, before));
    }

    /**
     * The first-order approximation that drops the second-order term ({@code grad_phi L_in} alone). It is what a
     * first-order MoNA silently computes, which equals embedder warm-up; kept for tests that prove the exact
     * gradient differs from it.
     */
    Map<String, NDArray> firstOrderGradient(Params params, NDArray xt, NDArray yt, NDArray xs, int[] ys) {
        return Autograd.withGradMode(true, () -> compute(params, xt, yt, xs, ys, HvpMode.FD, true, false)).direct();
    }

    private MetaGradient compute(Params params, NDArray xt, NDArray yt, NDArray xs, int[] ys, HvpMode mode,
                                 boolean firstOrderOnly, boolean before) {
        NDManager sm = xt.getManager();
        Map<String, NDArray> phi = new LinkedHashMap<>();
        Map<String, NDArray> theta = new LinkedHashMap<>();
        Map<String, NDArray> psi = new LinkedHashMap<>();
        Map<String, NDArray> all = new LinkedHashMap<>();
        // the source embedding layer (sourceLayer) is frozen: a leaf without gradient, outside the inner step
        Map<String, NDArray> frozenSource = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.asMap().entrySet()) {
            String k = e.getKey();
            boolean isPhi = k.startsWith(TransferModel.EMBEDDER);
            if (sourceLayer.contains(k)) {
                NDArray leaf = leaf(e.getValue(), sm, false);
                all.put(k, leaf);
                frozenSource.put(k, leaf);
                continue;
            }
            boolean isTheta = k.startsWith(TransferModel.ENCODER);
            boolean inner = isTheta || (config.predictorInInnerStep() && k.startsWith(TransferModel.PREDICTOR));
            NDArray leaf = leaf(e.getValue(), sm, isPhi || inner);
            all.put(k, leaf);
            if (isPhi) {
                phi.put(k, leaf);
            } else if (isTheta) {
                theta.put(k, leaf);
            } else if (inner) {
                psi.put(k, leaf);
            }
        }
        if (phi.isEmpty()) {
            throw new IllegalArgumentException("no embedder parameters (prefix '" + TransferModel.EMBEDDER
                    + "') in " + params);
        }
        List<NDArray> phiList = new ArrayList<>(phi.values());
        NDArray lin = loss.apply(model.forward(Params.of(all), xt), yt);

        List<NDArray> innerList = new ArrayList<>(theta.values());
        innerList.addAll(psi.values());
        List<NDArray> both = new ArrayList<>(innerList);
        both.addAll(phiList);
        // one backward gives g = grad_theta L_in and the direct part grad_phi L_in; for EXACT, create_graph keeps
        // g a function of phi and retain_graph lets the second-order backward reuse the forward graph
        boolean exact = mode == HvpMode.EXACT && !firstOrderOnly;
        NDList r = Autograd.grad(List.of(lin), both, null, exact, exact);
        NDList g = new NDList(r.subList(0, innerList.size()));
        NDList direct = new NDList(r.subList(innerList.size(), r.size()));
        if (firstOrderOnly) {
            MetaStep s = new MetaStep(scalar(lin), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Math.sqrt(moments(direct, direct)[0]), Double.NaN, Double.NaN);
            return new MetaGradient(named(phi, direct), Map.of(), s);
        }

        List<String> thetaNames = new ArrayList<>(theta.keySet());
        double[] atTheta = before ? sourceLossesAt(theta, frozenSource, xs, ys)
                : new double[] {Double.NaN, Double.NaN};
        // theta' = theta - alpha g at its values: the source pass then gives v = grad_theta' L_out first-order
        Map<String, NDArray> prime = new LinkedHashMap<>();
        Autograd.noGrad(() -> {
            for (int i = 0; i < thetaNames.size(); i++) {
                NDArray t = theta.get(thetaNames.get(i));
                prime.put(thetaNames.get(i), t.sub(g.get(i).mul(config.innerLearningRate())));
            }
        });
        prime.values().forEach(a -> a.setRequiresGradient(true));
        List<NDArray> primeLeaves = new ArrayList<>(prime.values());
        prime.putAll(frozenSource);
        NDArray z = AlignmentUniformity.normalize(model.sourceFeatures(Params.of(prime), xs));
        NDArray align = AlignmentUniformity.alignment(z, ys);
        NDArray unif = AlignmentUniformity.uniformity(z, ys, config.temperature(), config.uniformityPairs());
        NDArray lout = align.add(unif);
        NDList v = Autograd.grad(List.of(lout), primeLeaves, null, false, false);
        double scale = -config.innerLearningRate() * config.lambda();

        NDList knowledge;
        if (mode == HvpMode.EXACT) {
            // the knowledge part: one backward of -alpha lambda (g . v) w.r.t. phi, through the retained graph of g
            List<NDArray> outs = new ArrayList<>();
            List<NDArray> seeds = new ArrayList<>();
            for (int i = 0; i < thetaNames.size(); i++) {
                // a g_i outside the graph (parameter unused by L_in) is skipped inside Autograd
                outs.add(g.get(i));
                seeds.add(v.get(i).mul(scale));
            }
            knowledge = Autograd.grad(outs, phiList, seeds, false, false);
        } else {
            knowledge = centralDifference(all, phi, thetaNames, theta, v, scale, xt, yt);
        }
        double[] m = moments(direct, knowledge);
        double directNorm = Math.sqrt(m[0]);
        double knowledgeNorm = Math.sqrt(m[1]);
        double cosine = directNorm == 0 || knowledgeNorm == 0 ? Double.NaN : m[2] / (directNorm * knowledgeNorm);
        MetaStep s = new MetaStep(scalar(lin), scalar(lout), scalar(align), scalar(unif), atTheta[0], atTheta[1],
                directNorm, knowledgeNorm, cosine);
        return new MetaGradient(named(phi, direct), named(phi, knowledge), s);
    }

    /** FD: {@code scale H_phi,theta v ~ scale [grad_phi L_in(theta + eps v) - grad_phi L_in(theta - eps v)] / 2 eps}. */
    private NDList centralDifference(Map<String, NDArray> all, Map<String, NDArray> phi, List<String> thetaNames,
                                     Map<String, NDArray> theta, NDList v, double scale, NDArray xt, NDArray yt) {
        double vnorm = norm(v);
        if (vnorm == 0) {
            NDList zeros = new NDList();
            phi.values().forEach(p -> zeros.add(p.zerosLike()));
            return zeros;
        }
        double eps = 1e-2 / vnorm;
        NDList plus = shiftedPhiGradient(all, phi, thetaNames, theta, v, eps, xt, yt);
        NDList minus = shiftedPhiGradient(all, phi, thetaNames, theta, v, -eps, xt, yt);
        NDList out = new NDList();
        for (int i = 0; i < plus.size(); i++) {
            out.add(plus.get(i).sub(minus.get(i)).mul(scale / (2 * eps)));
        }
        return out;
    }

    /**
     * L_align and L_unif of the source batch at {@code theta} (before the inner step): a forward without a graph,
     * its arrays freed on return so that they do not add to the step's peak memory.
     */
    private double[] sourceLossesAt(Map<String, NDArray> theta, Map<String, NDArray> frozenSource, NDArray xs,
                                    int[] ys) {
        double[] out = new double[2];
        Autograd.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                Map<String, NDArray> at = new LinkedHashMap<>(theta);
                at.putAll(frozenSource);
                NDArray z0 = AlignmentUniformity.normalize(model.sourceFeatures(Params.of(at), xs));
                out[0] = scalar(AlignmentUniformity.alignment(z0, ys));
                out[1] = scalar(AlignmentUniformity.uniformity(z0, ys, config.temperature(),
                        config.uniformityPairs()));
            }
        });
        return out;
    }

    /** The L2 norm of the concatenation of {@code arrays}. */
    private static double norm(List<NDArray> arrays) {
        return Math.sqrt(moments(arrays, arrays)[0]);
    }

    /**
     * {@code [a . a, b . b, a . b]} of the concatenations of {@code a} and {@code b}, per array in float64, brought
     * to the host in one copy (a round trip per number would stall a GPU step once per array); no graph recorded.
     */
    private static double[] moments(List<NDArray> a, List<NDArray> b) {
        double[][] out = new double[1][];
        Autograd.noGrad(() -> {
            try (NDScope scope = new NDScope()) {
                NDList sums = new NDList();
                for (int i = 0; i < a.size(); i++) {
                    NDArray x = a.get(i).toType(DataType.FLOAT64, false);
                    NDArray y = b.get(i).toType(DataType.FLOAT64, false);
                    sums.add(NDArrays.stack(new NDList(x.square().sum(), y.square().sum(), x.mul(y).sum())));
                }
                out[0] = NDArrays.stack(sums).sum(new int[] {0}).toDoubleArray();
            }
        });
        return out[0];
    }

    private NDList shiftedPhiGradient(Map<String, NDArray> all, Map<String, NDArray> phi, List<String> thetaNames,
                                      Map<String, NDArray> theta, NDList v, double eps, NDArray xt, NDArray yt) {
        Map<String, NDArray> shifted = new LinkedHashMap<>(all);
        Autograd.noGrad(() -> {
            for (int i = 0; i < thetaNames.size(); i++) {
                shifted.put(thetaNames.get(i), theta.get(thetaNames.get(i)).add(v.get(i).mul(eps)));
            }
        });
        NDArray l = loss.apply(model.forward(Params.of(shifted), xt), yt);
        return Autograd.grad(l, new ArrayList<>(phi.values()));
    }

    private static double scalar(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    private static Map<String, NDArray> named(Map<String, NDArray> phi, NDList grads) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        int i = 0;
        for (String k : phi.keySet()) {
            out.put(k, grads.get(i++));
        }
        return out;
    }

    /** A fresh leaf sharing {@code p}'s values, owned by {@code sm}. */
    private static NDArray leaf(NDArray p, NDManager sm, boolean requiresGrad) {
        NDArray leaf = p.stopGradient();
        leaf.attach(sm);
        if (requiresGrad) {
            leaf.setRequiresGradient(true);
        }
        return leaf;
    }

    /** Source inputs are token ids (int64) for a text encoder, else features in the model's type. */
    static DataType sourceType(TransferModel model, DataType dtype) {
        return model.encoder() instanceof dev.mona.core.model.BertEncoder ? DataType.INT64 : dtype;
    }

    static int[] labels(float[] y) {
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = Math.round(y[i]);
        }
        return out;
    }

    /** The embedder's arrays of {@code params} (the ones stage 1 moves), by full name. */
    public static Map<String, NDArray> embedderArrays(Params params) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.asMap().forEach((k, v) -> {
            if (k.startsWith(TransferModel.EMBEDDER)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
