package dev.mona.workflows.stage;

/**
 * The model weights after {@code epoch} fine-tuning epochs (0: the weights fine-tuning starts from), kept for the
 * linear probe over epochs ({@code probe.at-epochs}).
 *
 * @param epoch  finished fine-tuning epochs
 * @param key    artifact key of the weights (safetensors, every parameter of the model)
 * @param digest SHA-256 of the stored bytes
 */
public record EpochWeights(int epoch, String key, String digest) {
}
