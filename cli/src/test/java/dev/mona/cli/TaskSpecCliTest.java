package dev.mona.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mona.activities.stage.CoreModels;
import dev.mona.activities.stage.TaskStage;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.Engines;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NpyFloat32;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.task.TaskFiles;
import dev.mona.core.task.spec.SpecArrays;
import dev.mona.core.task.spec.TaskSpecFile;
import dev.mona.workers.ClusterConfig;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workers.Session;
import dev.mona.core.io.formats.NpyReader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task spec files on the command line: checks before submission (exit 2), add/show, one run end to end. */
class TaskSpecCliTest {
    @TempDir
    Path tmp;

    private Map<String, String> local() {
        return Map.of("MONA_DATA_DIR", tmp.resolve("data").toString(), "HOME", tmp.toString());
    }

    /** {@code rows} samples of 16 features and a label in 0..2 that the features tell. */
    private void csv(String name, int rows, int offset) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < 16; j++) {
            b.append("f").append(j).append(',');
        }
        b.append("label\n");
        for (int i = offset; i < offset + rows; i++) {
            int label = i % 3;
            for (int j = 0; j < 16; j++) {
                b.append(String.format(java.util.Locale.ROOT, "%.4f", Math.sin(0.3 * j * (label + 1) + 0.01 * i)))
                        .append(',');
            }
            b.append(label).append('\n');
        }
        Files.writeString(tmp.resolve(name), b);
    }

    private Path spec(String extra) throws Exception {
        Path f = tmp.resolve("waves.yaml");
        Files.writeString(f, "name: waves\nmodality: sequence\ninput: {shape: [1, 16]}\n"
                + "target: {kind: classification, classes: 3}\ntrain: {epochs: 1, batch: 4}\n"
                + "data:\n  train: {file: train.csv, y: label}\n  test: {file: test.csv, y: label}\n" + extra);
        return f;
    }

    private void badInput(String message, String... args) {
        Cli.Result r = Cli.run(local(), args);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(!Files.exists(tmp.resolve("data")), "something was written");
    }

    private String edited(String from, String to) throws Exception {
        Path f = spec("");
        Files.writeString(f, Files.readString(f).replace(from, to));
        return f.toString();
    }

    @Test
    void everyDataErrorIsBadInputBeforeSubmission() throws Exception {
        csv("train.csv", 30, 0);
        csv("test.csv", 9, 100);
        badInput("waves.yaml: data.train.file: data file " + tmp.resolve("nope.csv") + " does not exist; fix the path",
                "run", edited("file: train.csv", "file: nope.csv"), "-m", "ft");
        badInput("but the spec says " + "a".repeat(64) + "; replace the file or update sha256", "run",
                edited("file: test.csv", "file: test.csv, sha256: '" + "a".repeat(64) + "'"));
        badInput("data.train x (train.csv): shape [30, 16] but input.shape [1, 15] needs [N, 15] (15 feature "
                + "columns)", "run", edited("[1, 16]", "[1, 15]"));
        badInput("data.train y (train.csv:label): label 2.0 at row 2 is outside [0, 2)", "tasks", "add",
                edited("classes: 3", "classes: 2"));
        badInput("the train split has 27 samples, fewer than one batch (batch 64)", "run",
                edited("batch: 4", "batch: 64"));
        badInput("the train split has 27 samples, fewer than one batch (batch 32)", "run", spec("").toString(),
                "-s", "batch=32");
        badInput("input.dtype 'float16' is not one of", "run", edited("input: {shape: [1, 16]}",
                "input: {shape: [1, 16], dtype: float16}"));
        String cleanTrain = Files.readString(tmp.resolve("train.csv"));
        Files.writeString(tmp.resolve("train.csv"), cleanTrain.replaceFirst("(\n)([-0-9.]+,){3}", "$1$2$2Infinity,"));
        badInput("data.train x (train.csv): Inf at row 0", "run", spec("").toString());
        Files.writeString(tmp.resolve("train.csv"), cleanTrain);
        String cleanTest = Files.readString(tmp.resolve("test.csv"));
        Files.writeString(tmp.resolve("test.csv"), cleanTest.substring(0, cleanTest.indexOf('\n') + 1));
        badInput("data.test: the split is empty", "run", spec("").toString());
        Files.writeString(tmp.resolve("test.csv"), cleanTest);
        // npy arrays of another dtype than the spec declares
        Files.write(tmp.resolve("x.npy"), NpyFloat32.bytes(new long[]{30, 1, 16}, new float[30 * 16]));
        Files.write(tmp.resolve("y.npy"), NpyFloat32.bytes(new long[]{30}, new float[30]));
        Path npySpec = tmp.resolve("npy.yaml");
        Files.writeString(npySpec, "name: waves-npy\nmodality: sequence\ninput: {shape: [1, 16], dtype: float64}\n"
                + "target: {kind: classification, classes: 3}\ntrain: {epochs: 1, batch: 4}\n"
                + "data:\n  train: {x: x.npy, y: y.npy}\n  test: {x: x.npy, y: y.npy}\n");
        badInput("data.train x (x.npy): dtype float32 but input.dtype is float64; convert the array", "run",
                npySpec.toString());
        String clean = Files.readString(tmp.resolve("test.csv"));
        Files.writeString(tmp.resolve("test.csv"), clean.replaceFirst("(\n)[-0-9.]+,", "$1NaN,"));
        badInput("data.test x (test.csv): NaN at row 0 (element 0)", "run", spec("").toString());
    }

    @Test
    void aSweepTakesSpecFilesAmongItsTasks() throws Exception {
        csv("train.csv", 30, 0);
        csv("test.csv", 9, 100);
        String f = spec("").toString();
        dev.mona.workflows.SweepRequest sweep = RequestChecks.canonical(new dev.mona.workflows.SweepRequest("s",
                List.of(f, "offline-dna"), List.of(0L), List.of(dev.mona.workflows.TransferMethod.FT), "",
                Map.of("epochs", "1"), 1, false, null));
        String versioned = TaskStage.describe(f).name();
        assertEquals(List.of(versioned, "offline-dna"), sweep.tasks());
        // the child is the run submitted alone
        dev.mona.workflows.TransferRequest alone = RequestChecks.canonical(new dev.mona.workflows.TransferRequest(f,
                dev.mona.workflows.TransferMethod.FT, 0, null, Map.of("epochs", "1"), false, null));
        assertEquals(alone.workflowId(), sweep.runs().get(0).workflowId());
        // a batch larger than the train split is refused for the sweep as for the run
        InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                () -> RequestChecks.canonical(new dev.mona.workflows.SweepRequest("s", List.of(f), List.of(0L),
                        List.of(dev.mona.workflows.TransferMethod.FT), "", Map.of("batch", "64"), 1, false, null)));
        assertTrue(e.getMessage().contains("fewer than one batch (batch 64)"), e.getMessage());
    }

    /** {@code n} values of a smooth signal, different per {@code seed}. */
    private static float[] signal(int n, int seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(0.37 * i + seed);
        }
        return v;
    }

    private static byte[] npz(String[] names, byte[][] npys) throws Exception {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(b)) {
            for (int i = 0; i < names.length; i++) {
                z.putNextEntry(new java.util.zip.ZipEntry(names[i] + ".npy"));
                z.write(npys[i]);
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    /**
     * The target kinds and formats not run above, one run each through the workflow at tiny size (one epoch, the
     * source encoder prepared once for all): multi-label from HDF5, dense 1-D from npy, dense 2-D from npz, scalar
     * regression from a CSV object in the store ({@code s3://}). Four runs take minutes on two cores: {@code slow}.
     */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void everyTargetKindAndFormatRunsThroughTheWorkflow() throws Exception {
        int n = 24;
        String head = "source: fashion-mnist-vit\ntrain: {epochs: 1, batch: 4}\n";
        // multi-label, HDF5 datasets
        float[][][] mx = new float[n][1][16];
        int[][] my = new int[n][3];
        for (int i = 0; i < n; i++) {
            mx[i][0] = signal(16, i);
            my[i][i % 3] = 1;
            my[i][(i / 3) % 3] = 1;
        }
        try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(tmp.resolve("tags.h5"))) {
            w.putDataset("x", mx);
            w.putDataset("y", my);
        }
        Files.writeString(tmp.resolve("tags.yaml"), "name: tags\nmodality: sequence\ninput: {shape: [1, 16]}\n"
                + "target: {kind: multilabel, classes: 3}\n" + head
                + "data:\n  train: {file: tags.h5, x: x, y: y}\n  test: {file: tags.h5, x: x, y: y}\n");
        // dense 1-D, one npy file per array
        Files.write(tmp.resolve("d1x.npy"), NpyFloat32.bytes(new long[]{n, 1, 16}, signal(n * 16, 1)));
        Files.write(tmp.resolve("d1y.npy"), NpyFloat32.bytes(new long[]{n, 1, 16}, signal(n * 16, 2)));
        Files.writeString(tmp.resolve("wave.yaml"), "name: wave\nmodality: sequence\ninput: {shape: [1, 16]}\n"
                + "target: {kind: dense-1d}\n" + head
                + "data:\n  train: {x: d1x.npy, y: d1y.npy}\n  test: {x: d1x.npy, y: d1y.npy}\n");
        // dense 2-D, npz members
        Files.write(tmp.resolve("field.npz"), npz(new String[]{"x", "y"}, new byte[][]{
                NpyFloat32.bytes(new long[]{n, 1, 8, 8}, signal(n * 64, 3)),
                NpyFloat32.bytes(new long[]{n, 1, 8, 8}, signal(n * 64, 4))}));
        Files.writeString(tmp.resolve("field.yaml"), "name: field\nmodality: image\ninput: {shape: [1, 8, 8]}\n"
                + "target: {kind: dense-2d}\n" + head
                + "data:\n  train: {file: field.npz, x: x, y: y}\n  test: {file: field.npz, x: x, y: y}\n");
        // scalar regression, a CSV object in the store
        StringBuilder reg = new StringBuilder("a,b,c,d,target\n");
        for (int i = 0; i < n; i++) {
            float[] v = signal(4, i);
            reg.append(v[0]).append(',').append(v[1]).append(',').append(v[2]).append(',').append(v[3]).append(',')
                    .append(v[0] + 2 * v[1] + 3).append('\n');
        }
        byte[] regBytes = reg.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Session s = Session.open(ClusterConfig.load(null, local()), true)) {
            s.store().put("user-data/reg.csv", regBytes, "text/csv");
        }
        String part = "{file: 's3://mona/user-data/reg.csv', sha256: '" + dev.mona.core.fetch.Digests.sha256(regBytes)
                + "', y: target}";
        Files.writeString(tmp.resolve("reg.yaml"), "name: reg\nmodality: sequence\ninput: {shape: [1, 4]}\n"
                + "target: {kind: regression, outputs: 1}\n" + head
                + "data:\n  train: " + part + "\n  test: " + part + "\n");

        Map<String, String> metric = Map.of("tags.yaml", "ONE_MINUS_MAP", "wave.yaml", "NRMSE",
                "field.yaml", "RELATIVE_L2", "reg.yaml", "RELATIVE_L2");
        for (String f : List.of("tags.yaml", "wave.yaml", "field.yaml", "reg.yaml")) {
            Cli.Result run = Cli.run(local(), "run", tmp.resolve(f).toString(), "-m", "ft", "--wait", "--format",
                    "json", "-s", "source.samples=20", "-s", "source.limit=600", "-s", "source.epochs=1",
                    "-s", "probe.epochs=5");
            assertEquals(ExitCodes.OK, run.code(), f + ": " + run);
            var node = Verb.JSON.readTree(run.out());
            assertEquals("COMPLETED", node.get("status").asText(), f + ": " + run.out());
            double m = node.get("result").get("testMetric").asDouble();
            assertTrue(Double.isFinite(m) && m >= 0, f + ": " + run.out());
            assertEquals(metric.get(f), TaskStage.describe(node.get("result").get("task").asText()).metric(), f);
        }
    }

    @Test
    void addShowAndRunEndToEnd() throws Exception {
        csv("train.csv", 30, 0);
        csv("test.csv", 30, 0); // the same inputs: a warning, not an error (3 train rows are carved out as validation)
        String f = spec("source: fashion-mnist-vit\nnormalize: zscore\n").toString();
        Cli.Result add = Cli.run(local(), "tasks", "add", f, "--format", "json");
        assertEquals(ExitCodes.OK, add.code(), add.toString());
        assertTrue(add.err().contains("warning: 27 of 30 test inputs also appear in train"), add.err());
        String versioned = Verb.JSON.readTree(add.out()).get("task").asText();
        assertTrue(versioned.matches("waves@[0-9a-f]{10}"), versioned);

        Cli.Result show = Cli.run(local(), "tasks", "show", "waves");
        assertEquals(ExitCodes.OK, show.code(), show.toString());
        assertTrue(show.out().contains("task      " + versioned) && show.out().contains("sha256:"), show.out());

        csv("test.csv", 9, 100);
        // tiny settings: the spec's preferred ViT source pretrained briefly on a few hundred images
        Cli.Result run = Cli.run(local(), "run", f, "-m", "ft", "--wait", "--format", "json",
                "-s", "epochs=1", "-s", "source.samples=20", "-s", "source.limit=600", "-s", "source.epochs=1",
                "-s", "probe.epochs=5");
        assertEquals(ExitCodes.OK, run.code(), run.toString());
        var node = Verb.JSON.readTree(run.out());
        assertEquals("COMPLETED", node.get("status").asText(), run.out());
        // a changed test file is a new version of the task, hence a new run id
        assertTrue(node.get("workflowId").asText().startsWith("transfer-waves-"), run.out());
        assertTrue(!node.get("workflowId").asText().contains(versioned.substring(6)), run.out());

        // batch prediction with the exported model: its error rate on the test split is the run's test metric
        String runId = node.get("workflowId").asText();
        Path csvOut = tmp.resolve("pred.csv");
        Cli.Result pred = Cli.run(local(), "predict", runId, tmp.resolve("test.csv").toString(), "-o",
                csvOut.toString(), "--batch", "4", "--format", "json");
        assertEquals(ExitCodes.OK, pred.code(), pred.toString());
        assertEquals(9, Verb.JSON.readTree(pred.out()).get("rows").asInt(), pred.out());
        List<String> rows = Files.readAllLines(csvOut);
        assertEquals("p0,p1,p2,class", rows.get(0));
        int wrong = 0;
        for (int i = 1; i < rows.size(); i++) {
            String[] c = rows.get(i).split(",");
            double sum = Double.parseDouble(c[0]) + Double.parseDouble(c[1]) + Double.parseDouble(c[2]);
            assertEquals(1, sum, 1e-5, rows.get(i));
            wrong += Integer.parseInt(c[3]) == (100 + i - 1) % 3 ? 0 : 1;
        }
        assertEquals(node.get("result").get("testMetric").asDouble(), 100.0 * wrong / 9, 1e-9, run.out());

        // they are the trained model's own outputs (DJL forward of the fine-tuned parameters) within 1e-4
        Path weights = tmp.resolve("final.safetensors");
        try (Session s = Session.open(ClusterConfig.load(null, local()), true)) {
            s.store().download("runs/" + runId + "/model/final.safetensors", weights, "a test folder");
        }
        TaskSpecFile spec = TaskStage.specFile(node.get("result").get("task").asText()).orElseThrow();
        HostTensor x = spec.loader().inputs(SpecArrays.read(tmp.resolve("test.csv"), null, List.of(),
                List.of("label"), "test.csv"), true, "test.csv");
        x = spec.loader().normalizer(TaskFiles.inDirectory(tmp), 0).encode(x);
        TransferModel model = CoreModels.model(spec.spec(), dev.mona.activities.stage.SourceStage.encoderConfig(
                "fashion-mnist-vit", ""), dev.mona.core.config.ConfigKeys.resolve(new dev.mona.core.config.RunContext(
                spec.spec(), "ft", "fashion-mnist-vit"), java.util.Map.of()).targetSeqLen());
        try (NDManager m = Engines.newManager(Device.cpu())) {
            Params params = CoreModels.allParams(model, weights, m);
            float[] logits = model.forward(params, m.create(x.data(), new Shape(x.shape()))).toFloatArray();
            for (int i = 0; i < 9; i++) {
                double max = Math.max(logits[3 * i], Math.max(logits[3 * i + 1], logits[3 * i + 2]));
                double z = 0;
                for (int j = 0; j < 3; j++) {
                    z += Math.exp(logits[3 * i + j] - max);
                }
                String[] c = rows.get(i + 1).split(",");
                for (int j = 0; j < 3; j++) {
                    assertEquals(Math.exp(logits[3 * i + j] - max) / z, Double.parseDouble(c[j]), 1e-4, rows.get(i + 1));
                }
            }
        }

        // the same predictions as npy, in input order
        Path npyOut = tmp.resolve("pred.npy");
        Cli.Result asNpy = Cli.run(local(), "predict", runId, tmp.resolve("test.csv").toString(), "-o",
                npyOut.toString());
        assertEquals(ExitCodes.OK, asNpy.code(), asNpy.toString());
        NdArray probs = NpyReader.read(npyOut);
        assertArrayEquals(new long[]{9, 3}, probs.shape());
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(Float.parseFloat(rows.get(i + 1).split(",")[j]), probs.getDouble(i * 3 + j), 1e-7);
            }
        }

        // the same inputs as two files in the store: a prediction job writes the same rows, in input order
        List<String> lines = Files.readAllLines(tmp.resolve("test.csv"));
        try (Session s = Session.open(ClusterConfig.load(null, local()), true)) {
            s.store().putText("inputs/a.csv", String.join("\n", lines.subList(0, 6)) + "\n", "text/csv");
            s.store().putText("inputs/b.csv", lines.get(0) + "\n" + String.join("\n", lines.subList(6, 10)) + "\n",
                    "text/csv");
        }
        Path jobOut = tmp.resolve("job.csv");
        Cli.Result job = Cli.run(local(), "predict", runId, "s3://mona/inputs/", "-o", jobOut.toString(), "--batch",
                "4", "--format", "json");
        assertEquals(ExitCodes.OK, job.code(), job.toString());
        var jobResult = Verb.JSON.readTree(job.out());
        assertEquals(2, jobResult.get("shards").asInt(), job.out());
        assertEquals(Files.readAllLines(csvOut), Files.readAllLines(jobOut));
        try (Session s = Session.open(ClusterConfig.load(null, local()), true)) {
            String manifest = s.store().getText(jobResult.get("manifest").asText());
            assertTrue(manifest.contains("\"rows\" : 9") && manifest.contains(s.store().getText(
                    "tasks/names/waves").strip()), manifest);
        }
        badInput2("no input files under s3://mona/nothing/", "predict", runId, "s3://mona/nothing/");
        // an output that cannot be written: exit 3 naming it
        Path notAFolder = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Cli.Result unwritable = Cli.run(local(), "predict", runId, tmp.resolve("test.csv").toString(), "-o",
                notAFolder.resolve("p.csv").toString());
        assertEquals(ExitCodes.ENVIRONMENT, unwritable.code(), unwritable.toString());
        assertTrue(unwritable.err().contains("cannot write " + notAFolder.resolve("p.csv").toAbsolutePath()),
                unwritable.err());
        Cli.Result noRun = Cli.run(local(), "predict", "transfer-nothing-ft-s0-0123456789", "s3://mona/inputs/");
        assertEquals(ExitCodes.NOT_FOUND, noRun.code(), noRun.toString());

        // inputs of another shape are bad input
        csv("wide.csv", 3, 0);
        Files.writeString(tmp.resolve("wide.csv"), Files.readString(tmp.resolve("wide.csv")).replace("label\n",
                "label,extra\n").replaceAll("(?m)^([^f].*)$", "$1,0"));
        badInput2("wide.csv: shape [3, 17] but input.shape [1, 16] needs [N, 16]", "predict", runId,
                tmp.resolve("wide.csv").toString());
    }

    private void badInput2(String message, String... args) {
        Cli.Result r = Cli.run(local(), args);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains(message), r.err());
    }
}
