package dev.mona.cli;

import dev.mona.activities.stage.PredictStage;
import dev.mona.core.data.HostTensor;
import dev.mona.core.io.formats.NpyWriter;
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
                        + "per-label probabilities; regression and dense tasks: the model's outputs."})
final class PredictCommand extends Verb {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "A finished run of a task spec (see 'mona ls').")
    String runId;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT",
            description = "Input files: FILE.npy, FILE.csv (feature columns; the spec's label columns are skipped), "
                    + "FILE.npz:MEMBER or FILE.h5:DATASET.")
    List<String> inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", defaultValue = "predictions.csv",
            description = "Output file, .csv or .npy (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
            description = "Rows per ONNX Runtime call, 1 to 65536 (default: ${DEFAULT-VALUE}).")
    int batch;

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
        boolean classification = p.spec().spec().kind() == TaskKind.CLASSIFICATION;
        if (outName.endsWith(".npy")) {
            Files.write(out, NpyWriter.float32(y.shape(), y.data()));
        } else {
            Files.writeString(out, csv(y, classification));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("runId", runId);
        result.put("task", p.spec().versionedName());
        result.put("rows", total);
        result.put("out", out.toString());
        if (json()) {
            printJson(result);
        } else {
            out().println("predicted " + total + " rows of " + p.spec().versionedName() + " with " + runId + " -> "
                    + out);
            out().flush();
        }
        return ExitCodes.OK;
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
