package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.metric.Loss;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.metric.Scorer;
import dev.mona.core.model.Module;
import dev.mona.core.model.MonaModelException;
import dev.mona.core.model.Params;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Fine-tunes any {@link Module} (e.g. a {@code TransferModel}) on a task's training split with the task loss,
 * selecting the best epoch on the validation split (never the test split). The loop is {@link #fit}; logging,
 * summaries, checkpoints and heartbeats hang off it as {@link TrainingListener}s. Parameters are updated in place.
 *
 * <p>Memory discipline: each optimiser step opens a sub-manager of the parameters' manager holding detached
 * leaf views of the parameters ({@link Autograd#leaves}); each mini-batch opens a sub-manager of that for its
 * inputs and activations. Both close at the end, so resident memory stays flat.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final Module model;
    private final Loss loss;
    private final MetricKind metric;
    private final Scorer validation;
    private final TrainConfig config;
    private final TrainerOptions options;

    public Trainer(Module model, Loss loss, MetricKind metric, TrainConfig config, TrainerOptions options) {
        this(model, loss, metric, Scorer.of(metric), config, options);
    }

    /**
     * @param validation scores the validation split after each epoch under the task's evaluation protocol (model
     *                   selection); {@link Scorer#of(MetricKind)} for the metric alone
     */
    public Trainer(Module model, Loss loss, MetricKind metric, Scorer validation, TrainConfig config,
                   TrainerOptions options) {
        this.model = model;
        this.loss = loss;
        this.metric = metric;
        this.validation = validation;
        this.config = config;
        this.options = options;
    }

    /** Optimiser steps per epoch for {@code samples} training samples. */
    public long stepsPerEpoch(int samples) {
        long batches = (samples + config.batchSize() - 1) / config.batchSize();
        return (batches + config.accumulation() - 1) / config.accumulation();
    }

    /**
     * Trains {@code params} (arrays owned by {@code manager}, updated in place) on {@code data.train()}, validating
     * on {@code data.validation()} after every epoch. Resumes from the latest checkpoint when configured.
     */
    public TrainResult fit(NDManager manager, Params params, TaskData data) {
        DataSplit train = data.train();
        if (train.size() == 0) {
            throw new MonaModelException("the training split is empty; nothing to fine-tune");
        }
        int batchSize = config.batchSize();
        int batches = (train.size() + batchSize - 1) / batchSize;
        long stepsPerEpoch = stepsPerEpoch(train.size());
        long totalSteps = stepsPerEpoch * config.epochs();
        LearningRateSchedule schedule = WarmupLinearDecay.of(config, batches);
        Optimizer optimizer = Optimizer.of(config, manager);
        ParameterFilter frozen = ParameterFilter.of(options.freeze());
        Predicate<String> trainable = n -> !frozen.test(n);
        if (params.names().stream().noneMatch(trainable)) {
            throw new MonaModelException("every parameter is frozen by " + options.freeze() + "; nothing to train");
        }
        TrainStep step = new TrainStep(model, loss, optimizer, trainable, config.clipNorm());
        CheckpointStore store = options.checkpointDir() == null ? null : new CheckpointStore(options.checkpointDir());
        // frozen parameters keep their starting values, so a checkpoint holds only the trained ones
        Map<String, NDArray> trainedArrays = new LinkedHashMap<>();
        params.asMap().forEach((n, v) -> {
            if (trainable.test(n)) {
                trainedArrays.put(n, v);
            }
        });
        Params trained = Params.of(trainedArrays);
        Map<String, NDArray> best = null;

        TrainingState state = TrainingState.start(options.seed(), config);
        if (store != null && options.resume()) {
            Optional<CheckpointStore.Checkpoint<TrainingState>> ck = store.loadLatest(trained, manager,
                    TrainingState.class);
            if (ck.isPresent()) {
                state = resume(ck.get(), params, optimizer);
                best = loadBest(store, params, manager);
                LOG.info("resumed from {} at epoch {} batch {} (step {})", store.directory(), state.epoch(),
                        state.batchInEpoch(), state.step());
            }
        }

        List<EpochSummary> history = new ArrayList<>(state.history());
        int bestEpoch = state.bestEpoch();
        double bestMetric = state.bestMetric();
        for (int epoch = state.epoch(); epoch < config.epochs(); epoch++) {
            long started = System.nanoTime();
            int[] order = Shuffle.permutation(train.size(), options.seed(), epoch);
            boolean resumedEpoch = epoch == state.epoch();
            int b = resumedEpoch ? state.batchInEpoch() : 0;
            double lossSum = resumedEpoch ? state.epochLossSum() : 0;
            long lossCount = resumedEpoch ? state.epochBatches() : 0;
            double lr = 0;
            while (b < batches) {
                int micro = Math.min(config.accumulation(), batches - b);
                // ORCA steps its schedule per mini-batch: the update takes the rate of its last mini-batch
                lr = schedule.at((long) epoch * batches + b + micro - 1);
                List<DataSplit> batchList = new ArrayList<>(micro);
                for (int k = 0; k < micro; k++) {
                    int from = (b + k) * batchSize;
                    int[] idx = Arrays.copyOfRange(order, from, Math.min(from + batchSize, train.size()));
                    batchList.add(new DataSplit(train.x().rows(idx), train.y().rows(idx)));
                }
                double stepLoss = step.run(manager, params, batchList, lr);
                lossSum += stepLoss * micro;
                lossCount += micro;
                b += micro;
                var progress = new TrainingListener.Progress(epoch, b, batches, optimizer.steps(), totalSteps,
                        stepLoss, lr);
                if (store != null && options.checkpointEverySteps() > 0
                        && optimizer.steps() % options.checkpointEverySteps() == 0 && b < batches) {
                    TrainingState s = new TrainingState(epoch, b, optimizer.steps(), options.seed(), lossSum,
                            lossCount, bestEpoch, bestMetric, history, config);
                    checkpoint(store, trained, optimizer, s);
                }
                for (TrainingListener l : options.listeners()) {
                    l.onStep(progress);
                }
            }
            double val = data.validation().size() == 0 ? Double.NaN
                    : evaluate(manager, params, data.validation(), validation);
            if (!Double.isNaN(val) && (bestEpoch < 0 || val < bestMetric)) {
                bestEpoch = epoch;
                bestMetric = val;
                best = snapshot(params, manager, best);
                if (store != null) {
                    store.saveBest(params, epoch, val);
                }
            }
            EpochSummary summary = new EpochSummary(epoch, lossSum / Math.max(1, lossCount), val, lr,
                    (System.nanoTime() - started) / 1e9);
            history.add(summary);
            LOG.info("epoch {}: train loss {} val {} {} lr {} ({} s)", epoch, summary.trainLoss(), metric, val, lr,
                    String.format("%.1f", summary.seconds()));
            if (store != null) {
                checkpoint(store, trained, optimizer, new TrainingState(epoch + 1, 0, optimizer.steps(),
                        options.seed(), 0, 0, bestEpoch, bestMetric, history, config));
            }
            for (TrainingListener l : options.listeners()) {
                l.onEpochEnd(summary);
            }
        }
        if (options.restoreBest() && best != null) {
            for (Map.Entry<String, NDArray> e : best.entrySet()) {
                Autograd.copyInto(params.get(e.getKey()), e.getValue());
            }
        }
        if (best != null) {
            best.values().forEach(NDArray::close);
        }
        return new TrainResult(bestEpoch, bestMetric, optimizer.steps(), history);
    }

    /** The metric of the model on {@code split} (row by row), computed in mini-batches without gradients. */
    public double evaluate(NDManager manager, Params params, DataSplit split) {
        return evaluate(manager, params, split, Scorer.of(metric));
    }

    /** {@code scorer}'s value for the model's outputs on {@code split}, computed in mini-batches without gradients. */
    public double evaluate(NDManager manager, Params params, DataSplit split, Scorer scorer) {
        int bs = options.evalBatchSize() > 0 ? options.evalBatchSize() : config.batchSize();
        HostTensor pred = predict(model, manager, params, split.x(), bs);
        return scorer.score(pred, split.y());
    }

    /** The outputs of {@code module} on all rows of {@code x}, in mini-batches of {@code batchSize}, on the host. */
    public static HostTensor predict(Module module, NDManager manager, Params params, HostTensor x, int batchSize) {
        DataType dtype = params.asMap().values().iterator().next().getDataType();
        float[] out = null;
        long[] shape = null;
        int rowSize = 0;
        HostBatchLoader loader = new HostBatchLoader();
        try (NDManager evalManager = manager.newSubManager()) {
            Params views = Autograd.leaves(params, n -> false, evalManager);
            for (int from = 0; from < x.rows(); from += batchSize) {
                int to = Math.min(from + batchSize, x.rows());
                try (NDManager batchManager = evalManager.newSubManager()) {
                    NDArray in = loader.load(x.slice(from, to), batchManager, dtype);
                    NDArray o = Autograd.withGradMode(false, () -> module.forward(views, in));
                    float[] values = o.toType(DataType.FLOAT32, false).toFloatArray();
                    if (out == null) {
                        rowSize = values.length / (to - from);
                        shape = o.getShape().getShape().clone();
                        shape[0] = x.rows();
                        out = new float[x.rows() * rowSize];
                    }
                    System.arraycopy(values, 0, out, from * rowSize, values.length);
                }
            }
        }
        return new HostTensor(out == null ? new float[0] : out, shape == null ? new long[] {0} : shape);
    }

    private TrainingState resume(CheckpointStore.Checkpoint<TrainingState> ck, Params params, Optimizer optimizer) {
        TrainingState s = ck.state();
        if (!s.config().equals(config)) {
            throw new MonaModelException("the checkpoint was written with configuration " + s.config()
                    + " but this run has " + config + "; resume with the same configuration or start a new run");
        }
        if (s.seed() != options.seed()) {
            throw new MonaModelException("the checkpoint was written with seed " + s.seed() + " but this run has "
                    + options.seed() + "; resume with the same seed or start a new run");
        }
        ck.params().asMap().forEach((name, value) -> {
            Autograd.copyInto(params.get(name), value);
            value.close();
        });
        optimizer.restore(ck.optimizerState(), s.step());
        ck.optimizerState().values().forEach(NDArray::close);
        return s;
    }

    private static Map<String, NDArray> loadBest(CheckpointStore store, Params params, NDManager manager) {
        Optional<Path> p = store.best();
        if (p.isEmpty()) {
            return null;
        }
        return new LinkedHashMap<>(ParamsIO.load(p.get(), params, manager, true).params().asMap());
    }

    private static Map<String, NDArray> snapshot(Params params, NDManager manager, Map<String, NDArray> previous) {
        Map<String, NDArray> out = previous != null ? previous : new LinkedHashMap<>();
        params.asMap().forEach((name, p) -> {
            NDArray dst = out.computeIfAbsent(name, k -> manager.zeros(p.getShape(), p.getDataType()));
            Autograd.copyInto(dst, p);
        });
        return out;
    }

    private void checkpoint(CheckpointStore store, Params params, Optimizer optimizer, TrainingState s) {
        Path dir = store.save(params, optimizer, s.step(), s);
        for (TrainingListener l : options.listeners()) {
            l.onCheckpoint(dir, s);
        }
    }
}
