package dev.mona.core.bench;

import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.Losses;
import dev.mona.core.model.Architectures;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.model.TransferModel;
import dev.mona.core.model.VitConfig;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark sizes: each a full target model {@code h(f(e(x)))} built by {@link Architectures} with a
 * classification head and cross-entropy, fed one random mini-batch.
 * <ul>
 *   <li>{@code vit-tiny}: ViT depth 4, width 192, 3 heads, MLP 768; inputs 3 x 32 x 32, patch 4 = 64 tokens,
 *       batch 32, 10 classes (the reference size).</li>
 *   <li>{@code swin-base}: swin-base-patch4-window7-224; inputs 3 x 32 x 32 resized to 224 (3136 tokens),
 *       batch 4, 10 classes.</li>
 *   <li>{@code roberta-base}: roberta-base; 1-D inputs 1 x 1024 stacked by 2 into 512 tokens, batch 4,
 *       10 classes.</li>
 * </ul>
 */
public final class BenchSizes {
    private BenchSizes() {}

    /** Names accepted by {@link #workload(String)}. */
    public static List<String> names() {
        return List.of("vit-tiny", "swin-base", "roberta-base");
    }

    /** The workload of size {@code size}; a typed error naming the known sizes otherwise. */
    public static BenchWorkload workload(String size) {
        return switch (size) {
            case "vit-tiny" -> classifier(size, VitConfig.vitTiny(), new long[] {3, 32, 32}, 32, 10);
            case "swin-base" -> classifier(size, SwinConfig.swinBasePatch4Window7_224(), new long[] {3, 32, 32}, 4,
                    10);
            case "roberta-base" -> classifier(size, BertConfig.robertaBase(), new long[] {1, 1024}, 4, 10);
            default -> throw new IllegalArgumentException("unknown benchmark size '" + size + "'; known sizes: "
                    + names());
        };
    }

    private static BenchWorkload classifier(String size, EncoderConfig encoder, long[] sample, int batch,
                                            int classes) {
        TransferModel model = Architectures.classifier(encoder, sample, classes);
        SplittableRandom r = new SplittableRandom(1);
        int per = 1;
        for (long s : sample) {
            per *= (int) s;
        }
        float[] x = new float[batch * per];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = r.nextInt(classes);
        }
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return new BenchWorkload(size, model, new DataSplit(new HostTensor(x, shape),
                new HostTensor(y, new long[] {batch})), Losses.of(LossKind.CROSS_ENTROPY));
    }
}
