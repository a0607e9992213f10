package dev.mona.workflows.stage;

/**
 * One input file of a prediction job.
 *
 * @param index     position in input order (0-based)
 * @param input     {@code s3://BUCKET/KEY} of the input file
 * @param array     npz member or HDF5 dataset; empty for npy and CSV
 * @param outputKey store key of the shard's predictions (float32 npy)
 * @param recordKey store key of the shard's record (input and output digests, rows), written last
 */
public record PredictShard(int index, String input, String array, String outputKey, String recordKey) {
}
