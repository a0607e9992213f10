package dev.mona.core.model;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mona.core.engine.ComputeMode;
import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A forward and backward pass leaves nothing in the parameters' manager: every step array lives in the step's. */
class ManagerDisciplineTest {
    @Test
    void stepArraysStayInTheStepManager() {
        Engines.pytorch(); // loads the native library before the thread calls
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1); // tiny ops: one thread is faster on a busy machine
        try {
            checkAll();
            // the first-order path (fused attention through TorchScript) obeys the same discipline
            try (ComputeMode.Scope s = ComputeMode.firstOrder()) {
                checkAll();
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    private static void checkAll() {
        check(Architectures.dense(SwinConfig.tiny(), new long[] {2, 20, 20}, 1), new Shape(2, 2, 20, 20), null);
        check(Architectures.classifier(new VitConfig(8, 4, 2, 8, 2, 2, 16, true, 1e-6), new long[] {2, 8, 8}, 3),
                new Shape(2, 2, 8, 8), new Shape(2, 2, 8, 8));
        check(Architectures.dense(BertConfig.tinyRoberta(), new long[] {3, 40}, 2), new Shape(2, 3, 40), null);
    }

    private static void check(TransferModel model, Shape inputShape, Shape sourceShape) {
        try (NDManager base = Engines.newManager(Device.cpu())) {
            Params p = Architectures.initialise(model, null, true, base, DataType.FLOAT32, new SplittableRandom(1));
            p.asMap().values().forEach(a -> a.setRequiresGradient(true));
            int before = ((BaseNDManager) base).getManagedArrays().size();
            for (int step = 0; step < 1; step++) {
                try (NDManager stepManager = base.newSubManager();
                     GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                    NDArray x = stepManager.randomNormal(inputShape);
                    NDArray loss = model.forward(p, x).square().mean();
                    if (sourceShape != null) {
                        loss = loss.add(model.sourceFeatures(p, stepManager.randomNormal(sourceShape)).mean());
                    } else if (model.encoder() instanceof BertEncoder) {
                        loss = loss.add(model.sourceFeatures(p, stepManager.create(new long[] {0, 7, 2, 1},
                                new Shape(1, 4))).mean());
                    } else {
                        loss = loss.add(model.sourceFeatures(p, stepManager.randomNormal(new Shape(1, 3, 32, 32)))
                                .mean());
                    }
                    gc.backward(loss);
                }
            }
            assertEquals(before, ((BaseNDManager) base).getManagedArrays().size(),
                    model.encoder().getClass().getSimpleName() + " left arrays in the parameters' manager");
        }
    }
}
