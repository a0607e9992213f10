package dev.mona.activities;

import dev.mona.core.method.Stage1Step;
import dev.mona.core.train.EpochSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The one writer of a run's {@code summary.csv}: a row per fine-tuning epoch or per stage-1 optimiser step, each with
 * the attempt that computed it. A stage rewrites its own rows and keeps those of the other stages.
 *
 * <p>Stage-1 rows carry the step's losses and diagnostics ({@link Stage1Step}) in the columns after
 * {@code attempt}, empty where the method does not compute them: {@code l_in} (Emb's task loss, MoNA's L_in),
 * {@code l_align} and {@code l_unif} (MoNA's source features after the inner step), {@code l_otdd} (ORCA),
 * {@code grad_direct} = ||grad_phi L_in||, {@code grad_knowledge} = ||lambda grad_phi L_out(theta'(phi))||,
 * {@code grad_ratio} = grad_knowledge / grad_direct, {@code grad_cosine} (between the two terms), and
 * {@code align_before} and {@code unif_before} (the same source batch before the inner step; MoNA measures them on
 * every {@code mona.diagnostics-every}-th meta-step only, so they are empty on the others).
 */
public final class SummaryCsv {
    private SummaryCsv() {}

    /** The columns of a stage-1 step's losses and diagnostics, after {@code attempt}. */
    public static final List<String> STAGE1_COLUMNS = List.of("l_in", "l_align", "l_unif", "l_otdd", "grad_direct",
            "grad_knowledge", "grad_ratio", "grad_cosine", "align_before", "unif_before");

    /** The columns, in this order; new ones are only ever appended, so readers by position keep working. */
    public static final String HEADER = "stage,epoch,step,train_loss,val_metric,lr,seconds,attempt,"
            + String.join(",", STAGE1_COLUMNS);

    private static final int COLUMNS = HEADER.split(",").length;

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
     * @param losses    a stage-1 step's losses and diagnostics, or null
     */
    public record Row(String stage, Integer epoch, Long step, double trainLoss, Double valMetric, Double lr,
                      double seconds, int attempt, Stage1Step losses) {
        String csv() {
            Map<String, Double> d = losses == null ? Map.of() : stage1Columns(losses);
            return String.join(",", stage, epoch == null ? "" : epoch.toString(), step == null ? "" : step.toString(),
                    fmt(trainLoss), opt(valMetric), opt(lr), String.format(Locale.ROOT, "%.3f", seconds),
                    Integer.toString(attempt), String.join(",", STAGE1_COLUMNS.stream().map(c -> opt(d.get(c)))
                            .toList()));
        }
    }

    /** The values of {@code s} that its method computed, by {@link #STAGE1_COLUMNS} name, in column order. */
    public static Map<String, Double> stage1Columns(Stage1Step s) {
        Double[] values = {s.innerLoss(), s.alignment(), s.uniformity(), s.otdd(), s.directNorm(), s.knowledgeNorm(),
            s.ratio(), s.cosine(), s.alignmentBefore(), s.uniformityBefore()};
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                out.put(STAGE1_COLUMNS.get(i), values[i]);
            }
        }
        return out;
    }

    /** Fine-tuning rows from core's epoch summaries; {@code attempts} by epoch, later epochs {@code current}. */
    public static List<Row> fineTune(List<EpochSummary> history, List<Integer> attempts, int current) {
        List<Row> out = new ArrayList<>();
        for (EpochSummary e : history) {
            out.add(new Row("finetune", e.epoch() + 1, null, e.trainLoss(), e.valMetric(), e.lr(), e.seconds(),
                    e.epoch() < attempts.size() ? attempts.get(e.epoch()) : current, null));
        }
        return out;
    }

    /**
     * The stage-1 row of optimiser step {@code step}: its loss (the method's stage-1 objective), learning rate, wall
     * time, and its losses and diagnostics ({@code losses}, or null when the method reported none).
     */
    public static Row align(long step, double loss, double lr, double seconds, int attempt, Stage1Step losses) {
        return new Row("align", null, step, loss, null, lr, seconds, attempt, losses);
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
            // rows written before the diagnostic columns existed get them empty
            existing.lines().skip(1).filter(l -> !l.startsWith(stage + ",") || stepAtMost(l, keepThrough))
                    .forEach(l -> b.append(l).append(",".repeat(Math.max(0, COLUMNS - l.split(",", -1).length)))
                            .append('\n'));
        }
        rows.forEach(r -> b.append(r.csv()).append('\n'));
        return b.toString();
    }

    private static boolean stepAtMost(String line, long step) {
        String s = line.split(",", -1)[2];
        return !s.isEmpty() && Long.parseLong(s) <= step;
    }

    private static String opt(Double v) {
        return v == null ? "" : fmt(v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
