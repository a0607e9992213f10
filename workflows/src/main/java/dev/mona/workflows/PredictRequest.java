package dev.mona.workflows;

/**
 * Batch prediction over input files in the store: every object under {@code inputPrefix} is one shard, predicted
 * by the finished run's exported model on a GPU worker.
 *
 * @param runId       a finished run of a task spec (its ONNX model and manifest are in the store)
 * @param inputPrefix {@code s3://BUCKET/PREFIX}: the input files (npy, npz, HDF5, CSV), taken in key order
 * @param array       npz member or HDF5 dataset of every input file; {@code null}/empty for npy and CSV
 * @param batch       rows per ONNX Runtime call
 * @param tuning      timeouts and retry backoff, {@code null} for {@link RetryTuning#DEFAULT}
 */
public record PredictRequest(String runId, String inputPrefix, String array, int batch, RetryTuning tuning) {
    public PredictRequest {
        array = array == null ? "" : array;
    }

    /**
     * {@code predict-<run digest>-<digest>}: equal requests share it, so a repeated submit attaches to the job, and
     * a failed job started again finds the shards it finished in the store. The batch size and the tuning change
     * how, not what, is computed.
     */
    public String workflowId() {
        return "predict-" + WorkflowIds.digest(runId) + "-" + WorkflowIds.digest("run=" + runId + "\ninputs="
                + inputPrefix + "\narray=" + array);
    }
}
