package dev.mona.core.bench;

import dev.mona.core.data.DataSplit;
import dev.mona.core.metric.Loss;
import dev.mona.core.model.Module;

/**
 * What one benchmarked fine-tune step trains: a model, one host mini-batch and the loss.
 *
 * @param size  the size's name ({@code vit-tiny}, {@code swin-base}, {@code roberta-base}, ...)
 * @param model the module, parameters initialised by the bench
 * @param batch one mini-batch (inputs and targets), moved to the device every step like a real loader
 * @param loss  the loss
 */
public record BenchWorkload(String size, Module model, DataSplit batch, Loss loss) {
    public int batchSize() {
        return batch.size();
    }
}
