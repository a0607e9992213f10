package dev.mona.activities;

import dev.mona.core.train.EpochSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one writer of a run's {@code summary.csv}: a row per fine-tuning epoch or per logged stage-1 step, each with
 * the attempt that computed it. A stage rewrites its own rows and keeps those of the other stages.
 */
public final class SummaryCsv {
    private SummaryCsv() {}

    public static final String HEADER = "stage,epoch,step,train_loss,val_metric,lr,seconds,attempt";

    /**
     * One row; a {@code null} field is left empty (a fine-tuning epoch has no step, a stage-1 step no metric).
     *
     * @param stage     {@code align} or {@code finetune}
     * @param epoch     1-based epoch, or null
     * @param step      optimiser step, or null
     * @param trainLoss mean training loss of the epoch, or the step's loss
     * @param valMetric validation metric, or null
     * @param lr        learning rate, or null
     * @param seconds   wall time of the epoch or step
     * @param attempt   the activity attempt that computed it
     */
    public record Row(String stage, Integer epoch, Long step, double trainLoss, Double valMetric, Double lr,
                      double seconds, int attempt) {
        String csv() {
            return String.join(",", stage, epoch == null ? "" : epoch.toString(), step == null ? "" : step.toString(),
                    fmt(trainLoss), valMetric == null ? "" : fmt(valMetric), lr == null ? "" : fmt(lr),
                    String.format(Locale.ROOT, "%.3f", seconds), Integer.toString(attempt));
        }
    }

    /** Fine-tuning rows from core's epoch summaries; {@code attempts} by epoch, later epochs {@code current}. */
    public static List<Row> fineTune(List<EpochSummary> history, List<Integer> attempts, int current) {
        List<Row> out = new ArrayList<>();
        for (EpochSummary e : history) {
            out.add(new Row("finetune", e.epoch() + 1, null, e.trainLoss(), e.valMetric(), e.lr(), e.seconds(),
                    e.epoch() < attempts.size() ? attempts.get(e.epoch()) : current));
        }
        return out;
    }

    /**
     * A stage-1 row after optimiser step {@code step}: the mean loss of the steps since the previous row, the
     * learning rate of the last, their wall time.
     */
    public static Row align(long step, double meanLoss, double lr, double seconds, int attempt) {
        return new Row("align", null, step, meanLoss, null, lr, seconds, attempt);
    }

    /**
     * {@code existing} (a previous {@code summary.csv}, or null) with the rows of {@code stage} replaced by
     * {@code rows}.
     */
    public static String replace(String existing, String stage, List<Row> rows) {
        return replace(existing, stage, 0, rows);
    }

    /**
     * As {@link #replace(String, String, List)}, but the rows of {@code stage} at steps up to {@code keepThrough}
     * stay before {@code rows}: a resumed stage 1 keeps the rows of the steps its checkpoint covers.
     */
    public static String replace(String existing, String stage, long keepThrough, List<Row> rows) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        if (existing != null) {
            existing.lines().skip(1).filter(l -> !l.startsWith(stage + ",") || stepAtMost(l, keepThrough))
                    .forEach(l -> b.append(l).append('\n'));
        }
        rows.forEach(r -> b.append(r.csv()).append('\n'));
        return b.toString();
    }

    private static boolean stepAtMost(String line, long step) {
        String s = line.split(",", -1)[2];
        return !s.isEmpty() && Long.parseLong(s) <= step;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
