package dev.mona.core.task.spec;

import dev.mona.core.UserError;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.formats.NpyWriter;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.task.LoadOptions;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskFiles;
import dev.mona.core.task.TaskKind;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec files on small generated data: every target kind, every format, every check. */
class TaskSpecFileTest {
    @TempDir
    Path dir;

    static double[] values(int n, double scale, int offset) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(0.37 * (i + offset)) * scale;
        }
        return v;
    }

    static double[] labels(int n, int k) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % k;
        }
        return v;
    }

    void npy(String name, double[] v, long[] shape, String descr) throws Exception {
        Files.write(dir.resolve(name), NpyWriter.npy(v, shape, descr, false, 1));
    }

    void npz(String name, String[] keys, double[][] vs, long[][] shapes, String[] descrs) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (int i = 0; i < keys.length; i++) {
                z.putNextEntry(new ZipEntry(keys[i] + ".npy"));
                z.write(NpyWriter.npy(vs[i], shapes[i], descrs[i], false, 1));
                z.closeEntry();
            }
        }
        Files.write(dir.resolve(name), b.toByteArray());
    }

    TaskSpecFile spec(String yaml) throws Exception {
        Path f = dir.resolve("task.yaml");
        Files.writeString(f, yaml);
        return TaskSpecFile.read(f);
    }

    static TaskData load(TaskSpecFile f) throws Exception {
        return f.loader().load(f.spec(), TaskFiles.inDirectory(Path.of("/")), LoadOptions.defaults()).data();
    }

    static final String SEQ_CLS = "name: ecg-mine\nmodality: sequence\ninput: {shape: [2, 16], dtype: float32}\n"
            + "target: {kind: classification, classes: 3}\ntrain: {epochs: 2, batch: 4}\n";

    void npzClassification() throws Exception {
        npz("train.npz", new String[]{"x", "y"}, new double[][]{values(20 * 32, 1, 0), labels(20, 3)},
                new long[][]{{20, 2, 16}, {20}}, new String[]{"<f4", "<i8"});
        npz("test.npz", new String[]{"x", "y"}, new double[][]{values(6 * 32, 1, 9999), labels(6, 3)},
                new long[][]{{6, 2, 16}, {6}}, new String[]{"<f4", "<i8"});
    }

    @Test
    void classificationFromNpzWithCarvedValidationAndDefaults() throws Exception {
        npzClassification();
        TaskSpecFile f = spec(SEQ_CLS + "normalize: zscore\ndata:\n  train: {file: train.npz, x: x, y: y}\n"
                + "  test: {file: test.npz, x: x, y: y}\n  validationFraction: 0.25\n  seed: 3\n");
        assertTrue(f.spec().name().matches("ecg-mine@[0-9a-f]{10}"), f.spec().name());
        assertEquals(TaskKind.CLASSIFICATION, f.spec().kind());
        assertEquals(LossKind.CROSS_ENTROPY, f.spec().loss());
        assertEquals(MetricKind.ERROR_RATE, f.spec().metric());
        assertEquals("roberta", f.spec().encoder());
        assertEquals(2, f.spec().train().epochs());
        assertEquals(4, f.spec().train().batchSize());
        TaskData d = load(f);
        assertEquals(15, d.train().size());
        assertEquals(5, d.validation().size());
        assertEquals(6, d.test().size());
        assertArrayEquals(new long[]{15, 2, 16}, d.train().x().shape());
        // z-scored per channel on train: channel means 0
        double sum = 0;
        for (int i = 0; i < 15; i++) {
            for (int j = 0; j < 16; j++) {
                sum += d.train().x().data()[i * 32 + j];
            }
        }
        assertEquals(0, sum / (15 * 16), 1e-5);
        // the canonical form parses to the same task
        TaskSpecFile again = TaskSpecFile.parse(f.canonicalYaml(), Path.of("/"), "stored");
        assertEquals(f.spec().name(), again.spec().name());
        assertEquals(f.canonicalYaml(), again.canonicalYaml());
        SpecTaskLoader.Report r = f.loader().check(TaskFiles.inDirectory(dir), 0, 4, 0);
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void classWeightsWeightTheCrossEntropyOfAClassificationTask() throws Exception {
        npzClassification();
        String data = "data:\n  train: {file: train.npz, x: x, y: y}\n  test: {file: test.npz, x: x, y: y}\n";
        TaskSpecFile f = spec(SEQ_CLS + "classWeights: [1, 0.5, 2]\n" + data);
        assertArrayEquals(new double[]{1, 0.5, 2}, f.spec().lossOptions().classWeight());
        assertEquals(0, f.spec().lossOptions().posWeight().length);
        assertEquals(f.canonicalYaml(), TaskSpecFile.parse(f.canonicalYaml(), Path.of("/"), "stored").canonicalYaml());
        assertNotEquals(spec(SEQ_CLS + data).spec().name(), f.spec().name());
        fails(UserError.Kind.BAD_CONFIGURATION, "classWeights has 2 values but target.classes is 3",
                () -> spec(SEQ_CLS + "classWeights: [1, 2]\n" + data));
        fails(UserError.Kind.BAD_CONFIGURATION, "remove them for loss focal",
                () -> spec(SEQ_CLS + "loss: focal\nclassWeights: [1, 1, 2]\n" + data));
    }

    @Test
    void changedDataIsANewVersion() throws Exception {
        npzClassification();
        String yaml = SEQ_CLS + "data:\n  train: {file: train.npz, x: x, y: y}\n  test: {file: test.npz, x: x, y: y}\n";
        String before = spec(yaml).spec().name();
        npz("test.npz", new String[]{"x", "y"}, new double[][]{values(6 * 32, 2, 9999), labels(6, 3)},
                new long[][]{{6, 2, 16}, {6}}, new String[]{"<f4", "<i8"});
        assertNotEquals(before, spec(yaml).spec().name());
    }

    @Test
    void multilabelFromHdf5() throws Exception {
        Path h = dir.resolve("data.h5");
        float[][][] x = new float[12][1][8];
        int[][] y = new int[12][4];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 8; j++) {
                x[i][0][j] = (float) Math.cos(i + j);
            }
            y[i][i % 4] = 1;
        }
        try (WritableHdfFile w = HdfFile.write(h)) {
            w.putGroup("train").putDataset("x", x);
            w.putDataset("y", y);
        }
        TaskSpecFile f = spec("name: tags\nmodality: sequence\ninput: {shape: [1, 8]}\n"
                + "target: {kind: multilabel, classes: 4}\nclassWeights: [1, 2, 3, 4]\ntrain: {batch: 2}\n"
                + "data:\n  train: {file: data.h5, x: train/x, y: y}\n  test: {file: data.h5, x: /train/x, y: y}\n");
        assertEquals(LossKind.BCE_POS_WEIGHT, f.spec().loss());
        assertEquals(MetricKind.ONE_MINUS_MAP, f.spec().metric());
        assertArrayEquals(new double[]{1, 2, 3, 4}, f.spec().lossOptions().posWeight());
        TaskData d = load(f);
        assertArrayEquals(new long[]{12, 4}, d.test().y().shape());
        // every test input is also a train input (one was carved out as validation)
        SpecTaskLoader.Report r = f.loader().check(TaskFiles.inDirectory(dir), 0, 4, 0);
        assertTrue(r.warnings().get(0).startsWith("11 of 12 test inputs also appear in train"), r.warnings().toString());
    }

    @Test
    void dense1dAndDense2dFromNpy() throws Exception {
        npy("x1.npy", values(10 * 16, 1, 0), new long[]{10, 1, 16}, "<f8");
        npy("y1.npy", values(10 * 32, 1, 5), new long[]{10, 2, 16}, "<f4");
        TaskSpecFile f1 = spec("name: wave\nmodality: sequence\ninput: {shape: [1, 16], dtype: float64}\n"
                + "target: {kind: dense-1d, channels: 2}\ntrain: {batch: 2}\n"
                + "data:\n  train: {x: x1.npy, y: y1.npy}\n  test: [{x: x1.npy, y: y1.npy}, {x: x1.npy, y: y1.npy}]\n");
        assertEquals(TaskKind.DENSE, f1.spec().kind());
        assertEquals(LossKind.NRMSE, f1.spec().loss());
        assertArrayEquals(new long[]{2, 16}, f1.spec().outputShape());
        assertEquals(20, load(f1).test().size());

        npy("x2.npy", values(6 * 3 * 4 * 5, 1, 0), new long[]{6, 3, 4, 5}, "<f4");
        npy("y2.npy", values(6 * 20, 1, 2), new long[]{6, 1, 4, 5}, "<f4");
        TaskSpecFile f2 = spec("name: field\nmodality: image\ninput: {shape: [3, 4, 5]}\n"
                + "target: {kind: dense-2d}\ntrain: {batch: 2}\n"
                + "data:\n  train: {x: x2.npy, y: y2.npy}\n  test: {x: x2.npy, y: y2.npy}\n");
        assertEquals(LossKind.RELATIVE_L2, f2.spec().loss());
        assertEquals("swin", f2.spec().encoder());
        assertArrayEquals(new long[]{6, 1, 4, 5}, load(f2).test().y().shape());
    }

    @Test
    void regressionFromCsv() throws Exception {
        StringBuilder b = new StringBuilder("a,b,c,d,target\n");
        for (int i = 0; i < 10; i++) {
            b.append(i).append(',').append(i * 2).append(',').append(-i).append(",0.5,").append(i * 0.1).append('\n');
        }
        Files.writeString(dir.resolve("rows.csv"), b);
        TaskSpecFile f = spec("name: price\nmodality: sequence\ninput: {shape: [1, 4]}\ntarget: {kind: regression}\n"
                + "train: {batch: 2}\ndata:\n  train: {file: rows.csv, y: target}\n"
                + "  test: {file: rows.csv, x: [a, b, c, d], y: [target]}\n");
        assertEquals(TaskKind.REGRESSION, f.spec().kind());
        assertEquals(LossKind.MSE, f.spec().loss());
        TaskData d = load(f);
        assertArrayEquals(new long[]{10, 1, 4}, d.test().x().shape());
        assertArrayEquals(new long[]{10, 1}, d.test().y().shape());
        assertEquals(6f, d.test().x().data()[4 * 3 + 1]);
    }

    static void fails(UserError.Kind kind, String message, Executable e) {
        TaskSpecException ex = assertThrows(TaskSpecException.class, e::run);
        assertEquals(kind, ex.kind(), ex.getMessage());
        assertTrue(ex.getMessage().contains(message), ex.getMessage());
    }

    interface Executable {
        void run() throws Exception;
    }

    static final String DATA = "data:\n  train: {file: train.npz, x: x, y: y}\n  test: {file: test.npz, x: x, y: y}\n";

    @Test
    void everyCheckNamesFileArrayAndFix() throws Exception {
        npzClassification();
        fails(UserError.Kind.MISSING_DATA, "data file " + dir.resolve("nope.npz") + " does not exist",
                () -> spec(SEQ_CLS + "data:\n  train: {file: nope.npz, x: x, y: y}\n  test: {file: test.npz, x: x, y: y}\n"));
        fails(UserError.Kind.CORRUPT_DATA, "but the spec says " + "0".repeat(64) + "; replace the file or update sha256",
                () -> spec(SEQ_CLS + "data:\n  train: {file: train.npz, sha256: '" + "0".repeat(64)
                        + "', x: x, y: y}\n  test: {file: test.npz, x: x, y: y}\n"));
        fails(UserError.Kind.CORRUPT_DATA, "data.train x (train.npz:x): shape [20, 2, 16] but input.shape [2, 8]",
                () -> load(spec(SEQ_CLS.replace("[2, 16]", "[2, 8]") + DATA)));
        fails(UserError.Kind.CORRUPT_DATA, "dtype float32 but input.dtype is float64; convert the array",
                () -> load(spec(SEQ_CLS.replace("float32", "float64") + DATA)));
        fails(UserError.Kind.CORRUPT_DATA, "label 2.0 at row 2 is outside [0, 2)",
                () -> load(spec(SEQ_CLS.replace("classes: 3", "classes: 2") + DATA)));
        fails(UserError.Kind.BAD_CONFIGURATION, "train.npz has no array 'inputs'; its arrays are [x, y]",
                () -> load(spec(SEQ_CLS + DATA.replace("x: x", "x: inputs"))));
        fails(UserError.Kind.IMPOSSIBLE_SIZE, "the train split has 18 samples, fewer than one batch (batch 64)",
                () -> spec(SEQ_CLS + DATA).loader().check(TaskFiles.inDirectory(dir), 0, 64, 0));
        fails(UserError.Kind.IMPOSSIBLE_SIZE, "the train split has 3 samples (limit 3), fewer than one batch (batch 4)",
                () -> spec(SEQ_CLS + DATA).loader().check(TaskFiles.inDirectory(dir), 0, 4, 3));
        fails(UserError.Kind.BAD_CONFIGURATION, "unknown key 'target.clases'",
                () -> spec(SEQ_CLS.replace("classes:", "clases:") + DATA));
        fails(UserError.Kind.BAD_CONFIGURATION, "is a catalogue task",
                () -> spec(SEQ_CLS.replace("ecg-mine", TaskCatalog.all().get(0).name()) + DATA));
        fails(UserError.Kind.BAD_CONFIGURATION, "needs sha256",
                () -> spec(SEQ_CLS + DATA.replace("file: test.npz", "file: 'https://example.org/test.npz'")));

        double[] nan = values(6 * 32, 1, 0);
        nan[40] = Double.NaN;
        npz("test.npz", new String[]{"x", "y"}, new double[][]{nan, labels(6, 3)},
                new long[][]{{6, 2, 16}, {6}}, new String[]{"<f4", "<i8"});
        fails(UserError.Kind.CORRUPT_DATA, "data.test x (test.npz:x): NaN at row 1 (element 40)",
                () -> load(spec(SEQ_CLS + DATA)));
        npz("test.npz", new String[]{"x", "y"}, new double[][]{new double[0], new double[0]},
                new long[][]{{0, 2, 16}, {0}}, new String[]{"<f4", "<i8"});
        fails(UserError.Kind.IMPOSSIBLE_SIZE, "data.test: the split is empty", () -> load(spec(SEQ_CLS + DATA)));
    }

    @Test
    void classMissingFromTrainIsAWarning() throws Exception {
        npz("train.npz", new String[]{"x", "y"}, new double[][]{values(20 * 32, 1, 0), labels(20, 2)},
                new long[][]{{20, 2, 16}, {20}}, new String[]{"<f4", "<i8"});
        npz("test.npz", new String[]{"x", "y"}, new double[][]{values(6 * 32, 1, 9999), labels(6, 3)},
                new long[][]{{6, 2, 16}, {6}}, new String[]{"<f4", "<i8"});
        SpecTaskLoader.Report r = spec(SEQ_CLS + DATA).loader().check(TaskFiles.inDirectory(dir), 0, 4, 0);
        assertEquals(List.of("classes [2] of 3 never occur in the train split: the model cannot learn them"),
                r.warnings());
    }
}
