package dev.mona.core.pretrained;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.model.VitConfig;
import dev.mona.core.model.Params;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;
import dev.mona.core.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainTest {
    @TempDir
    Path dir;

    @Test
    void aTinyVitLearnsFashionMnistAndRoundTripsThroughSafetensors() {
        Pretrain.Config config = new Pretrain.Config(new VitConfig(28, 7, 1, 16, 1, 2, 32, false, 1e-6),
                new TrainConfig(1, 64, 1, OptimizerKind.ADAMW, 3e-3, 0.0, 0.9, 0, 1.0), 500, 2000, 1);
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Path file = dir.resolve("fashion-vit.safetensors");
            Pretrain.Result r = Pretrain.fashionMnist(m, OfflineData.fromEnvironment(), config, file);
            // chance is 0.10; one epoch on 2,000 images of a 1-block ViT already separates the easy classes
            assertTrue(r.testAccuracy() > 0.3, "test accuracy " + r.testAccuracy());
            assertTrue(r.encoderParams().has("patch_embed.proj.weight"));
            assertEquals(2, r.headParams().size());
            Params loaded = Pretrain.load(file, r.model(), m);
            HostTensor x = new HostTensor(new float[2 * 28 * 28], new long[]{2, 1, 28, 28});
            for (int i = 0; i < x.data().length; i++) {
                x.data()[i] = (float) Math.sin(i * 0.37);
            }
            float[] a = Trainer.predict(r.model(), m, r.params(), x, 2).data();
            float[] b = Trainer.predict(r.model(), m, loaded, x, 2).data();
            assertArrayEquals(a, b, 0f);
            NDArray w = loaded.get("head.weight");
            assertArrayEquals(new long[]{10, 16}, w.getShape().getShape());
        }
    }

    /** The default source encoder must reach 85% test accuracy (minutes on two cores). */
    @Test
    @Tag("slow")
    void theDefaultSourceEncoderReaches85Percent() {
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Pretrain.Result r = Pretrain.fashionMnist(m, OfflineData.fromEnvironment(), Pretrain.Config.fashionMnist(),
                    dir.resolve("fashion-vit.safetensors"));
            assertTrue(r.testAccuracy() >= 0.85, "test accuracy " + r.testAccuracy());
        }
    }
}
