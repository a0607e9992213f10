package dev.mona.workflows.stage;

import java.util.List;
import java.util.Map;

/**
 * The analysis stage's output. Probe errors are those of a linear classifier on frozen source features, in percent;
 * lower = more source knowledge kept. The modality discrepancy (nats; lower = a smaller gap between the source
 * model's knowledge and the target task) is null where it is not defined: dense targets, or fewer source than
 * target classes.
 *
 * @param errorBefore       error with the pretrained encoder
 * @param errorAfter        error with the fine-tuned encoder (the final, best-on-validation model)
 * @param key               artifact key of the stored result ({@code probe.json})
 * @param prober            what computed it
 * @param cached            true when reused from the stage cache
 * @param errorByEpoch      error after each of the {@code probe.at-epochs}, ascending by epoch
 * @param discrepancyBefore discrepancy of the model stage 1 starts from (for FT and scratch: fine-tuning's start)
 * @param discrepancyAfter  discrepancy after stage 1; null for methods without stage 1
 * @param analysisKeys      artifact keys of the analysis files: {@code tsne} (maps, JSON), {@code tsnePanels}
 *                          (PNG) and, where defined, {@code discrepancy} (estimates, JSON)
 */
public record ProbeResult(double errorBefore, double errorAfter, String key, String prober, boolean cached,
                          List<EpochError> errorByEpoch, Double discrepancyBefore, Double discrepancyAfter,
                          Map<String, String> analysisKeys) {
}
