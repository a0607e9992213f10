package dev.mona.cli;

import dev.mona.activities.stage.PredictStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactNotFoundException;
import dev.mona.activities.store.LocalFiles;
import dev.mona.activities.store.S3Location;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NpyReader;
import dev.mona.workers.Submissions;
import dev.mona.workflows.FailureMessages;
import dev.mona.workflows.PredictRequest;
import dev.mona.workflows.PredictResult;
import io.temporal.client.WorkflowFailedException;
import dev.mona.core.data.HostTensor;
import dev.mona.core.io.formats.NpyFloat32;
import dev.mona.core.metric.Metrics;
import dev.mona.core.task.TaskKind;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@Command(name = "predict", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Apply a finished run's exported ONNX model to new inputs of its task spec: the inputs are "
                + "checked and normalised as the spec's, run through ONNX Runtime (CUDA when present) and written "
                + "in input order.",
                "Classification: class probabilities, and in CSV also the argmax column 'class'; multi-label: "
                        + "per-label probabilities; regression and dense tasks: the model's outputs.",
                "An input s3://BUCKET/PREFIX names the files under that prefix in the store: a prediction job "
                        + "(PredictWorkflow) predicts them on the workers, one shard per file, writes the shards' "
                        + "outputs and a manifest under predictions/JOB/ in the store, and OUT gets them in input "
                        + "order. A job interrupted by a lost worker resumes without recomputing finished shards."})
final class PredictCommand extends Verb {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "A finished run of a task spec (see 'mona ls').")
    String runId;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT",
            description = "Input files: FILE.npy, FILE.csv (feature columns; the spec's label columns are skipped), "
                    + "FILE.npz:MEMBER or FILE.h5:DATASET; or one s3://BUCKET/PREFIX of such files in the store.")
    List<String> inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", defaultValue = "predictions.csv",
            description = "Output file, .csv or .npy (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
            description = "Rows per ONNX Runtime call, 1 to 65536 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--array", paramLabel = "NAME",
            description = "With s3://BUCKET/PREFIX: the npz member or HDF5 dataset of every input file.")
    String array;

    @Override
    public Integer call() throws IOException {
        RequestChecks.id(runId);
        if (batch < 1 || batch > 65_536) {
            throw new CliException(ExitCodes.BAD_INPUT, "--batch " + batch + " is outside 1 to 65536");
        }
        String outName = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!outName.endsWith(".csv") && !outName.endsWith(".npy")) {
            throw new CliException(ExitCodes.BAD_INPUT, "output " + out + " must end in .csv or .npy");
        }
        boolean inStore = inputs.get(0).startsWith(S3Location.SCHEME);
        if (inStore && inputs.size() > 1) {
            throw new CliException(ExitCodes.BAD_INPUT, "give one s3://BUCKET/PREFIX (every file under it is an "
                    + "input), not " + inputs.size() + " inputs");
        }
        if (array != null && !inStore) {
            throw new CliException(ExitCodes.BAD_INPUT, "--array names the member of files in the store; for a "
                    + "local file write FILE.npz:MEMBER");
        }
        if (inStore) {
            return inStore(outName);
        }
        PredictStage.Predictor p;
        try (Session s = session(true)) {
            p = PredictStage.open(s.store(), runId);
        }
        List<HostTensor> parts = new ArrayList<>();
        for (String input : inputs) {
            Path file = Path.of(input);
            String array = null;
            int colon = input.lastIndexOf(':');
            if (!Files.exists(file) && colon > 0) {
                file = Path.of(input.substring(0, colon));
                array = input.substring(colon + 1);
            }
            parts.add(p.read(file, array));
        }
        HostTensor x = concat(parts);
        int total = x.rows();
        HostTensor y = p.predict(x, batch, done -> {
            if (total >= 100 * batch && !json()) {
                err().printf("\rmona: predicted %d of %d rows", done, total);
                err().flush();
            }
        });
        if (total >= 100 * batch && !json()) {
            note("");
        }
        return write(y, p.spec().versionedName(), outName, Map.of());
    }

    /** Writes the predictions to OUT and reports them; {@code extra}: what a prediction job adds to the report. */
    private int write(HostTensor y, String task, String outName, Map<String, Object> extra) throws IOException {
        boolean classification = TaskStage.spec(task).kind() == TaskKind.CLASSIFICATION;
        LocalFiles.write(out, outName.endsWith(".npy") ? NpyFloat32.bytes(y.shape(), y.data())
                : csv(y, classification).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "choose a writable file with -o");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("runId", runId);
        result.put("task", task);
        result.put("rows", y.rows());
        result.put("out", out.toString());
        result.putAll(extra);
        if (json()) {
            printJson(result);
        } else {
            out().println("predicted " + y.rows() + " rows of " + task + " with " + runId + " -> " + out
                    + (extra.containsKey("manifest") ? " (manifest " + extra.get("manifest") + ")" : ""));
            out().flush();
        }
        return ExitCodes.OK;
    }

    /** The prediction job over the files under the s3:// prefix; OUT gets the shards' outputs in input order. */
    private int inStore(String outName) throws IOException {
        PredictRequest request = new PredictRequest(runId, inputs.get(0), array, batch, null);
        S3Location.parse(request.inputPrefix(), "input prefix");
        try (Session s = session(true)) {
            if (!s.store().exists(ArtifactKeys.manifest(runId))) {
                // as for local inputs: no such finished run (exit 4), found before a job is started
                throw new ArtifactNotFoundException(ArtifactKeys.manifest(runId), s.store().config().bucket());
            }
            Submissions.Submission sub = Submissions.predict(s.client(), request);
            note("mona: " + (sub.attached() ? "attached to " : "started ") + sub.workflowId() + " on "
                    + s.description());
            PredictResult r;
            try {
                r = s.client().newUntypedWorkflowStub(sub.workflowId()).getResult(PredictResult.class);
            } catch (WorkflowFailedException e) {
                String error = FailureMessages.root(e);
                note("mona: prediction job " + sub.workflowId() + " failed: " + error);
                return FailureMessages.isUserError(e) ? ExitCodes.BAD_INPUT : ExitCodes.RUN_FAILED;
            }
            List<HostTensor> parts = new ArrayList<>();
            for (String key : r.outputKeys()) {
                NdArray a = NpyReader.read(new java.io.ByteArrayInputStream(s.store().get(key)), key);
                parts.add(new HostTensor(a.toFloatArray(), a.shape()));
            }
            Map<?, ?> manifest = dev.mona.activities.Json.read(s.store().getText(r.manifestKey()), Map.class);
            TaskStage.ensure(s.store(), String.valueOf(manifest.get("task")));
            return write(concat(parts), String.valueOf(manifest.get("task")), outName,
                    Map.of("job", sub.workflowId(), "manifest", r.manifestKey(), "shards", r.outputKeys().size(),
                            "reused", r.reused()));
        }
    }

    private static HostTensor concat(List<HostTensor> parts) {
        int rows = 0;
        int values = 0;
        for (HostTensor t : parts) {
            rows += t.rows();
            values += t.data().length;
        }
        float[] all = new float[values];
        int at = 0;
        for (HostTensor t : parts) {
            System.arraycopy(t.data(), 0, all, at, t.data().length);
            at += t.data().length;
        }
        long[] shape = parts.get(0).shape().clone();
        shape[0] = rows;
        return new HostTensor(all, shape);
    }

    /** One row per input: the output values (p0.. for classification, then the argmax as 'class'). */
    private static String csv(HostTensor y, boolean classification) {
        int r = y.rowSize();
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < r; j++) {
            b.append(j == 0 ? "" : ",").append(classification ? "p" : "y").append(j);
        }
        if (classification) {
            b.append(",class");
        }
        b.append('\n');
        int[] argmax = classification ? Metrics.argmax(y) : null;
        for (int i = 0; i < y.rows(); i++) {
            for (int j = 0; j < r; j++) {
                b.append(j == 0 ? "" : ",").append(y.data()[i * r + j]);
            }
            if (classification) {
                b.append(',').append(argmax[i]);
            }
            b.append('\n');
        }
        return b.toString();
    }
}
