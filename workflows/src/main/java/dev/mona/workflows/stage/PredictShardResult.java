package dev.mona.workflows.stage;

/**
 * Output of {@link PredictActivities#predictShard}, as its record in the store says.
 *
 * @param index        the shard's position in input order
 * @param inputSha256  SHA-256 of the input file
 * @param rows         rows predicted
 * @param outputSha256 SHA-256 of the output file
 * @param reused       the record was already there: the shard was not computed again
 */
public record PredictShardResult(int index, String inputSha256, int rows, String outputSha256, boolean reused) {
}
