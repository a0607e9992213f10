package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.GraphScalars;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.Autograd;
import dev.mona.core.train.HostBatchLoader;
import dev.mona.core.train.Shuffle;
import dev.mona.core.train.StepDecay;
import dev.mona.core.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ORCA's stage 1: trains only the target embedder to minimise the OTDD between target embeddings and source
 * embeddings. Source features: {@link OrcaConfig#sourceSamples()} labelled source samples through the pretrained
 * source embedding layer, mean over tokens, computed once. Target features: {@code e_phi(x)} mean over tokens.
 * Per target class c (true classes, or k-means pseudo-labels of the target values for regression and dense
 * tasks), loss {@code w_c OTDD(D_src, D_tgt,c)} with {@code w_c} the class's share of all training samples and
 * {@code D_tgt,c} a fresh draw of the class every embedder epoch (ORCA's shuffled class loader read in mini-batches
 * until more than {@code maxsamples} samples are in hand, {@link OrcaConfig#drawn}); a class of one sample is
 * skipped, as in ORCA. Gradients are accumulated over the classes and one optimiser step is taken per embedder
 * epoch, by the task's optimiser at ORCA's embedder rate under its StepLR schedule ({@link StepDecay}).
 *
 * <p>Memory stays bounded by three phases per class: features without a graph, chunk by chunk; the OTDD and its
 * gradient with respect to the (n_c, d) feature matrix in float64; then the embedder's backward chunk by chunk,
 * seeded with that gradient. The OTDD's {@code S(src, src)} term does not depend on phi and is left out of the
 * logged loss.
 */
public final class OrcaAligner {
    private static final Logger LOG = LoggerFactory.getLogger(OrcaAligner.class);

    private final TransferModel model;
    private final OrcaConfig config;

    public OrcaAligner(TransferModel model, OrcaConfig config) {
        this.model = model;
        this.config = config;
    }

    /** Pseudo-labels for the OTDD: class ids for classification, k-means clusters of the target values otherwise. */
    public int[] targetClasses(HostTensor y, boolean classification) {
        if (classification) {
            return MonaAligner.labels(y.data());
        }
        int r = y.rowSize();
        double[][] rows = new double[y.rows()][r];
        for (int i = 0; i < y.rows(); i++) {
            for (int j = 0; j < r; j++) {
                rows[i][j] = y.data()[i * r + j];
            }
        }
        return KMeans.cluster(rows, config.pseudoClasses(), config.seed(), 100);
    }

    /** Runs the embedder epochs, updating the embedder arrays of {@code params} in place; returns per-epoch losses. */
    public List<Double> align(Params params, DataSplit target, boolean classification, DataSplit source) {
        return align(params, target, classification, source, Stage1Options.none());
    }

    /**
     * {@link #align(Params, DataSplit, boolean, DataSplit)} reporting each embedder epoch (one optimiser step) to
     * {@code options}' listeners and checkpointing the embedder, the optimiser and the position to its directory;
     * when that directory holds a checkpoint, the run continues from it (class draws, the source subset and the
     * pseudo-labels are functions of the seed and the epoch) and returns every epoch's loss, those before it included.
     */
    public List<Double> align(Params params, DataSplit target, boolean classification, DataSplit source,
                              Stage1Options options) {
        Map<String, NDArray> phi = MonaAligner.embedderArrays(params);
        NDManager base = phi.values().iterator().next().getManager();
        int[] cls = targetClasses(target.y(), classification);
        SplittableRandom rng = new SplittableRandom(config.seed());
        Map<Integer, int[]> members = new java.util.TreeMap<>();
        for (int c : Arrays.stream(cls).distinct().sorted().toArray()) {
            members.put(c, java.util.stream.IntStream.range(0, cls.length).filter(i -> cls[i] == c).toArray());
        }
        Map<Integer, Double> weights = classWeights(cls);
        StepDecay schedule = new StepDecay(config.learningRate(), config.milestones(), config.gamma());
        int[] srcRows = subset(java.util.stream.IntStream.range(0, source.size()).toArray(), config.sourceSamples(), rng);
        int[] srcLabels = MonaAligner.labels(source.y().rows(srcRows).data());
        double[][] srcFeatures = sourceFeatures(params, source.x().rows(srcRows));
        OtddDistance otdd = new OtddDistance(config.reg());
        List<Double> losses = new ArrayList<>();
        Stage1Loop loop = new Stage1Loop("ORCA", options, config.embedderEpochs());
        try (NDManager state = base.newSubManager()) {
            OuterOptimizer opt = new OuterOptimizer(config.optimizer(), config.learningRate(), config.weightDecay(),
                    config.momentum(), config.beta1(), config.beta2(), state);
            loop.resume(phi, opt, config, Checkpointed.class).ifPresent(c -> losses.addAll(c.losses()));
            double[] selfSource = null;
            for (int epoch = losses.size(); epoch < config.embedderEpochs(); epoch++) {
                try (NDManager em = base.newSubManager()) {
                    Map<String, NDArray> acc = new LinkedHashMap<>();
                    double total = 0;
                    for (Map.Entry<Integer, int[]> e : members.entrySet()) {
                        int[] rows = draw(e.getValue(), e.getKey(), epoch);
                        if (rows.length < 2) {
                            continue;
                        }
                        double w = weights.get(e.getKey());
                        HostTensor x = target.x().rows(rows);
                        double[][] feats = targetFeatures(params, x);
                        double[] seed;
                        try (NDManager cm = em.newSubManager()) {
                            NDArray xs = matrix(cm, srcFeatures);
                            if (selfSource == null) {
                                selfSource = otdd.classSelfTerms(xs, srcLabels);
                            }
                            NDArray xt = matrix(cm, feats);
                            xt.setRequiresGradient(true);
                            int[] yc = new int[rows.length];
                            double[] self = selfSource;
                            NDArray[] out = Autograd.withGradMode(true, () -> {
                                NDArray l = GraphScalars.mul(otdd.distance(xs, srcLabels, xt, yc, false, self), w);
                                return new NDArray[] {l, Autograd.grad(l, List.of(xt)).get(0)};
                            });
                            total += out[0].getDouble();
                            seed = out[1].toDoubleArray();
                        }
                        backward(params, x, seed, acc, em);
                    }
                    opt.step(phi, acc, schedule.at(epoch));
                    losses.add(total);
                    LOG.info("ORCA embedder epoch {}/{}: sum_c w_c OTDD = {} (up to the constant source term)",
                            epoch + 1, config.embedderEpochs(), total);
                }
                loop.stepDone(new TrainingListener.Progress(epoch, 1, 1, epoch + 1, config.embedderEpochs(),
                                losses.get(epoch), schedule.at(epoch)),
                        Stage1Step.orca(epoch + 1, losses.get(epoch)), phi, opt,
                        () -> new Checkpointed(losses.size(), config, losses));
            }
        }
        return losses;
    }

    /** ORCA's class weights: each class's share of all training samples (not of the samples drawn). */
    static Map<Integer, Double> classWeights(int[] cls) {
        Map<Integer, Double> out = new java.util.TreeMap<>();
        for (int c : cls) {
            out.merge(c, 1.0 / cls.length, Double::sum);
        }
        return out;
    }

    /**
     * The rows of class {@code c} (its {@code members}) drawn in embedder epoch {@code epoch}: the first
     * {@link OrcaConfig#drawn} of a shuffle that is a function of the seed, the class and the epoch (so a resumed
     * run draws the same), in ascending order.
     */
    int[] draw(int[] members, int c, int epoch) {
        int[] order = Shuffle.permutation(members.length, config.seed() * 1_000_003L + c, epoch);
        int[] out = new int[config.drawn(members.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = members[order[i]];
        }
        Arrays.sort(out);
        return out;
    }

    /** An ORCA checkpoint's {@code state.json}: embedder epochs done, the configuration, their losses. */
    record Checkpointed(long step, OrcaConfig config, List<Double> losses) implements Stage1Loop.State {
        Checkpointed {
            losses = List.copyOf(losses);
        }
    }

    /**
     * Mean-over-tokens source embeddings through the encoder's pretrained source embedding layer (padding left out
     * of a text encoder's), no graph.
     */
    double[][] sourceFeatures(Params params, HostTensor x) {
        Params enc = params.scope(TransferModel.ENCODER);
        return pooled(x, params, MonaAligner.sourceType(model, dtype(params)),
                in -> model.encoder().pooledSourceEmbeddings(enc, in));
    }

    double[][] targetFeatures(Params params, HostTensor x) {
        Params emb = params.scope(TransferModel.EMBEDDER);
        return pooled(x, params, dtype(params), in -> model.embedder().forward(emb, in).mean(new int[] {1}));
    }

    private static DataType dtype(Params params) {
        return params.asMap().values().iterator().next().getDataType();
    }

    private double[][] pooled(HostTensor x, Params params, DataType dtype,
                              java.util.function.Function<NDArray, NDArray> f) {
        NDManager base = params.asMap().values().iterator().next().getManager();
        List<double[]> rows = new ArrayList<>();
        HostBatchLoader loader = new HostBatchLoader();
        Autograd.noGrad(() -> {
            for (int from = 0; from < x.rows(); from += config.chunk()) {
                int to = Math.min(x.rows(), from + config.chunk());
                try (NDManager m = base.newSubManager()) {
                    HostTensor part = x.slice(from, to);
                    NDArray in = loader.load(part, m, dtype);
                    NDArray z = f.apply(in).toType(DataType.FLOAT64, false);
                    long d = z.getShape().get(1);
                    double[] flat = z.toDoubleArray();
                    for (int i = 0; i < to - from; i++) {
                        rows.add(Arrays.copyOfRange(flat, (int) (i * d), (int) ((i + 1) * d)));
                    }
                }
            }
        });
        return rows.toArray(new double[0][]);
    }

    /** Adds {@code J_phi^T seed} (chunk by chunk) into {@code acc}. */
    private void backward(Params params, HostTensor x, double[] seed, Map<String, NDArray> acc, NDManager em) {
        DataType dtype = params.asMap().values().iterator().next().getDataType();
        int d = seed.length / x.rows();
        HostBatchLoader loader = new HostBatchLoader();
        for (int from = 0; from < x.rows(); from += config.chunk()) {
            int to = Math.min(x.rows(), from + config.chunk());
            try (NDManager m = em.newSubManager()) {
                Map<String, NDArray> leaves = new LinkedHashMap<>();
                params.scope(TransferModel.EMBEDDER).asMap().forEach((k, v) -> {
                    NDArray l = v.stopGradient();
                    l.attach(m);
                    l.setRequiresGradient(true);
                    leaves.put(k, l);
                });
                HostTensor part = x.slice(from, to);
                NDArray in = loader.load(part, m, dtype);
                NDArray s = m.create(Arrays.copyOfRange(seed, from * d, to * d), new Shape(to - from, d))
                        .toType(dtype, false);
                NDList g = Autograd.withGradMode(true, () -> {
                    NDArray z = model.embedder().forward(Params.of(leaves), in).mean(new int[] {1});
                    return Autograd.grad(List.of(z), new ArrayList<>(leaves.values()), List.of(s), false, false);
                });
                int i = 0;
                for (String k : leaves.keySet()) {
                    String full = TransferModel.EMBEDDER + k;
                    NDArray gi = g.get(i++);
                    NDArray a = acc.get(full);
                    if (a == null) {
                        gi.attach(em);
                        acc.put(full, gi);
                    } else {
                        a.addi(gi);
                    }
                }
            }
        }
    }

    private static NDArray matrix(NDManager m, double[][] x) {
        int d = x[0].length;
        double[] flat = new double[x.length * d];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * d, d);
        }
        return m.create(flat, new Shape(x.length, d));
    }

    private static int[] subset(int[] rows, int max, SplittableRandom rng) {
        if (rows.length <= max) {
            return rows;
        }
        int[] p = rows.clone();
        for (int i = p.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        int[] out = Arrays.copyOf(p, max);
        Arrays.sort(out);
        return out;
    }
}
