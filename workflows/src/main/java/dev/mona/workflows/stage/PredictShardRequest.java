package dev.mona.workflows.stage;

/**
 * Input of {@link PredictActivities#predictShard}.
 *
 * @param model the run's model
 * @param shard the input file and where its output goes
 * @param batch rows per ONNX Runtime call
 */
public record PredictShardRequest(PredictModel model, PredictShard shard, int batch) {
}
