package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.DataSplit;
import dev.mona.core.engine.ComputeMode;
import dev.mona.core.engine.GraphScalars;
import dev.mona.core.metric.Loss;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One fine-tuning optimiser step: forward and backward of each mini-batch (the loss divided by their number, so
 * the accumulated gradient is that of the mean), global-norm clipping, then the optimiser's in-place update.
 * Used by {@link Trainer} and by the train-step benchmark, so both measure the same code. The step runs in a
 * {@link ComputeMode#firstOrder()} scope: its graph is differentiated once.
 *
 * <p>Memory: the step opens a sub-manager of {@code manager} for the parameters' leaf views and gradients, and
 * each mini-batch a sub-manager of that for its inputs and activations; all are closed before returning.
 */
public final class TrainStep {
    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Predicate<String> trainable;
    private final double clipNorm;
    private final HostBatchLoader loader = new HostBatchLoader();

    /**
     * @param model     the module trained
     * @param loss      the task loss
     * @param optimizer updates the parameters
     * @param trainable names that receive gradients and updates (the others are frozen)
     * @param clipNorm  global gradient-norm limit, 0 for none
     */
    public TrainStep(Module model, Loss loss, Optimizer optimizer, Predicate<String> trainable, double clipNorm) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.trainable = trainable;
        this.clipNorm = clipNorm;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Runs the step on {@code batches} (host mini-batches) with learning rate {@code lr}; returns their mean loss. */
    public double run(NDManager manager, Params params, List<DataSplit> batches, double lr) {
        DataType dtype = params.asMap().values().iterator().next().getDataType();
        int micro = batches.size();
        // the step differentiates its graph once: ops without a double backward (fused attention) may be used
        try (NDManager stepManager = manager.newSubManager(); ComputeMode.Scope firstOrder = ComputeMode.firstOrder()) {
            Params leaves = Autograd.leaves(params, trainable, stepManager);
            double sum = 0;
            for (DataSplit batch : batches) {
                try (NDManager batchManager = stepManager.newSubManager()) {
                    NDArray x = loader.load(batch.x(), batchManager, dtype);
                    NDArray y = loader.load(batch.y(), batchManager, dtype);
                    sum += Autograd.withGradMode(true, () -> {
                        NDArray l = loss.apply(model.forward(leaves, x), y);
                        Autograd.backward(micro == 1 ? l : GraphScalars.div(l, micro));
                        return l.toType(DataType.FLOAT64, false).getDouble();
                    });
                }
            }
            Map<String, NDArray> grads = new LinkedHashMap<>();
            leaves.asMap().forEach((name, leaf) -> {
                NDArray g = trainable.test(name) ? Autograd.gradient(leaf, stepManager) : null;
                if (g != null) {
                    grads.put(name, g);
                }
            });
            if (clipNorm > 0) {
                GradientClipping.clipGlobalNorm(grads.values(), clipNorm);
            }
            optimizer.step(params, grads, lr);
            return sum / micro;
        }
    }
}
