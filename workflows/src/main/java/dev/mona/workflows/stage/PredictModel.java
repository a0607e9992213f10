package dev.mona.workflows.stage;

/**
 * What every shard of a prediction job needs of the run: its model and the normalisation of its inputs.
 *
 * @param runId      the finished run
 * @param task       the run's versioned spec task
 * @param onnxKey    store key of the run's ONNX model
 * @param onnxSha256 SHA-256 of that model (a shard predicted by another model is recomputed)
 * @param mean       per-channel mean of the run's train split, empty when the spec does not normalise
 * @param std        per-channel standard deviation, same length as {@code mean}
 */
public record PredictModel(String runId, String task, String onnxKey, String onnxSha256, float[] mean, float[] std) {
}
