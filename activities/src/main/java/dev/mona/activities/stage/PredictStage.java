package dev.mona.activities.stage;

import dev.mona.activities.Json;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.HostTensor;
import dev.mona.core.export.OnnxRuntimeSession;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskFiles;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.spec.SpecArrays;
import dev.mona.core.task.spec.SpecTaskLoader;
import dev.mona.core.task.spec.TaskSpecException;
import dev.mona.core.task.spec.TaskSpecFile;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.stage.PredictModel;
import dev.mona.core.fetch.Digests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Batch prediction with a finished run's exported ONNX model: new inputs of the run's spec task are checked as the
 * spec's inputs are (shape, dtype, finite values), normalised with the statistics the run trained with (the train
 * split of the run's seed), and run through ONNX Runtime (CUDA when present) in batches. Classification outputs
 * become class probabilities (softmax of the logits), multi-label ones per-label probabilities (sigmoid).
 */
public final class PredictStage {
    private PredictStage() {}

    /**
     * A run's model, ready to predict.
     *
     * @param runId      the run
     * @param spec       its task's spec
     * @param normalizer the inputs' normaliser (null for none)
     * @param onnx       the exported model's bytes
     */
    public record Predictor(String runId, TaskSpecFile spec, SpecTaskLoader.ChannelNormalizer normalizer,
                            byte[] onnx) {

        /** Inputs read from {@code file} ({@code array}: npz member or HDF5 dataset; CSV: feature columns). */
        public HostTensor read(Path file, String array) {
            String where = file.getFileName() + (array == null ? "" : ":" + array);
            boolean csv = "csv".equals(SpecArrays.format(file.toString()));
            if (!csv && array == null && !"npy".equals(SpecArrays.format(file.toString()))) {
                throw new InvalidRequestException(file + ": name the array to predict on, e.g. " + file
                        + ":x (an npz member or HDF5 dataset)");
            }
            try {
                List<String> exclude = spec.data().train().get(0).y().columns();
                NdArray raw = SpecArrays.read(file, array, List.of(), exclude, where);
                return spec.loader().inputs(raw, csv, where);
            } catch (TaskSpecException e) {
                throw new InvalidRequestException(e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Outputs of the model on {@code x} (probabilities for (multi-label) classification), {@code batch} rows at a time. */
        public HostTensor predict(HostTensor x, int batch, IntConsumer rowsDone) {
            HostTensor in = normalizer == null ? x : normalizer.encode(x);
            float[] out = null;
            long[] shape = null;
            try (OnnxRuntimeSession s = OnnxRuntimeSession.open(onnx, true)) {
                for (int from = 0; from < in.rows(); from += batch) {
                    int to = Math.min(in.rows(), from + batch);
                    HostTensor y = s.run(in.slice(from, to));
                    if (out == null) {
                        shape = y.shape().clone();
                        shape[0] = in.rows();
                        out = new float[in.rows() * y.rowSize()];
                    }
                    System.arraycopy(y.data(), 0, out, from * y.rowSize(), y.data().length);
                    rowsDone.accept(to);
                }
            }
            HostTensor y = new HostTensor(out == null ? new float[0] : out, shape == null ? new long[]{0} : shape);
            TaskKind kind = spec.spec().kind();
            return kind == TaskKind.CLASSIFICATION ? softmax(y) : kind == TaskKind.MULTILABEL ? sigmoid(y) : y;
        }
    }

    /** The predictor of a finished run of a spec task. */
    public static Predictor open(ArtifactStore store, String runId) {
        Map<?, ?> manifest = Json.read(store.getText(ArtifactKeys.manifest(runId)), Map.class);
        Map<?, ?> request = (Map<?, ?>) manifest.get("request");
        String task = TaskStage.ensure(store, String.valueOf(request.get("task")));
        TaskSpecFile spec = TaskStage.specFile(task).orElseThrow(() -> new InvalidRequestException("run " + runId
                + " is a run of the catalogue task " + task + "; mona predict serves runs of task spec files"));
        long seed = ((Number) manifest.get("seed")).longValue();
        TaskStage.fetchFromStore(store, task);
        try {
            DatasetFetcher fetcher = DatasetFetcher.defaults();
            TaskFiles files = spec.spec().files().isEmpty() ? TaskFiles.inDirectory(fetcher.cache().root())
                    : TaskFiles.fetched(TaskCatalog.fetch(spec.spec(), fetcher), fetcher);
            return new Predictor(runId, spec, spec.loader().normalizer(files, seed),
                    store.get(ArtifactKeys.onnx(runId)));
        } catch (TaskSpecException e) {
            throw new InvalidRequestException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The predictor of a prediction job's shard: the run's stored spec and model, the normalisation the job's plan
     * computed once (no access to the spec's train files needed).
     */
    public static Predictor predictor(ArtifactStore store, PredictModel model) {
        String task = TaskStage.ensure(store, model.task());
        TaskSpecFile spec = TaskStage.specFile(task).orElseThrow(() -> new InvalidRequestException("task " + task
                + " of run " + model.runId() + " is not a task spec"));
        byte[] onnx = store.get(model.onnxKey());
        if (!Digests.sha256(onnx).equals(model.onnxSha256())) {
            throw new InvalidRequestException(model.onnxKey() + " changed since the job was planned; start the job "
                    + "again");
        }
        return new Predictor(model.runId(), spec, model.mean().length == 0 ? null
                : new SpecTaskLoader.ChannelNormalizer(model.mean(), model.std()), onnx);
    }

    static HostTensor softmax(HostTensor logits) {
        int k = logits.rowSize();
        float[] in = logits.data();
        float[] out = new float[in.length];
        for (int i = 0; i < logits.rows(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, in[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(in[i * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                out[i * k + j] = (float) (Math.exp(in[i * k + j] - max) / sum);
            }
        }
        return new HostTensor(out, logits.shape().clone());
    }

    static HostTensor sigmoid(HostTensor logits) {
        float[] in = logits.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (1 / (1 + Math.exp(-in[i])));
        }
        return new HostTensor(out, Arrays.copyOf(logits.shape(), logits.shape().length));
    }
}
