package dev.mona.workflows.stage;

/**
 * One point of the linear-probe curve: the probe error (%) of the encoder after {@code epoch} fine-tuning epochs.
 *
 * @param epoch finished fine-tuning epochs (0: the model fine-tuning starts from)
 * @param error probe error in percent; lower = more source knowledge kept
 */
public record EpochError(int epoch, double error) {
}
