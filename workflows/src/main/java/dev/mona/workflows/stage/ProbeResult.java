package dev.mona.workflows.stage;

/**
 * Linear-probe output: error rate (%) of a linear classifier on frozen source features; lower = more source
 * knowledge kept.
 *
 * @param errorBefore error with the pretrained encoder
 * @param errorAfter  error with the fine-tuned encoder
 * @param key         artifact key of the stored probe result
 * @param prober      what computed it
 * @param cached      true when reused from the stage cache
 */
public record ProbeResult(double errorBefore, double errorAfter, String key, String prober, boolean cached) {
}
