package dev.mona.core.train;

/**
 * One row of a run's per-epoch summary (summary.csv).
 *
 * @param epoch     0-based epoch
 * @param trainLoss mean training loss over the epoch's mini-batches
 * @param valMetric metric on the validation split (lower is better; NaN without a validation split)
 * @param lr        learning rate of the epoch's last optimiser step
 * @param seconds   wall time of the epoch (training and validation) in this process
 */
public record EpochSummary(int epoch, double trainLoss, double valMetric, double lr, double seconds) {
    /** The CSV header matching {@link #toCsv()}. */
    public static final String CSV_HEADER = "epoch,train_loss,val_metric,lr,seconds";

    public String toCsv() {
        return epoch + "," + trainLoss + "," + valMetric + "," + lr + "," + seconds;
    }
}
