package dev.mona.core.task.spec;

import dev.mona.core.UserError.Kind;
import dev.mona.core.fetch.Digests;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.LossOptions;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A task declared in a YAML file over the user's own data, turned into a catalogue {@link TaskSpec} (family
 * {@code spec}) and its {@link SpecTaskLoader}. Example (every key but {@code name}, {@code modality},
 * {@code input}, {@code target} and {@code data.train}/{@code data.test} is optional):
 * <pre>
 * name: ecg-mine                  # letters, digits, '.', '_', '-'; not a catalogue name
 * description: my ECG traces
 * modality: sequence              # sequence: input (C, L); image: input (C, H, W); C > 1 is multi-channel
 * input: {shape: [1, 1000], dtype: float32}
 * target: {kind: classification, classes: 4}   # multilabel (classes), dense-1d / dense-2d (channels), regression (outputs)
 * loss: cross_entropy             # default per target kind (see below)
 * metric: error_rate
 * classWeights: [1, 2.5]          # classification: cross-entropy class weights; multilabel: BCE positive-class weights
 * normalize: zscore               # per input channel, statistics of the train split only; default none
 * source: minilm                  # preferred source encoder (fashion-mnist-vit, minilm); default by modality
 * train: {epochs: 10, batch: 32, lr: 1e-4, optimizer: adam, weightDecay: 0, warmupEpochs: 0, clipNorm: 0}
 * data:
 *   train: {file: train.npz, x: inputs, y: labels}     # npz member names, HDF5 dataset paths
 *   test:  {x: test_x.npy, y: test_y.npy}              # npy: one file per array
 *   validation: {file: val.csv, y: label}              # CSV: x = feature columns (default: all but y)
 *   validationFraction: 0.1       # when there is no validation split: carved from train with data.seed
 *   seed: 0
 * </pre>
 * A split is one part or a list of parts (concatenated in order). A file is a path (relative to the spec file),
 * an {@code https://} URL with {@code sha256}, or an object {@code s3://BUCKET/KEY} of the artifact store's endpoint
 * with {@code sha256} (so that workers on other machines read it); a local file may carry {@code sha256} too. Defaults per target
 * kind, as ORCA scores its tasks: classification cross-entropy / error rate, multi-label BCE / 1 - mAP, dense 1-D
 * nRMSE / nRMSE (PDEBench), dense 2-D relative L2 / relative L2 (Darcy), regression MSE / relative L2.
 *
 * <p>The canonical form ({@link #canonicalYaml}) has every path absolute and every file's SHA-256 filled in; its
 * digest names the task's version ({@link #versionedName}), so a changed spec or data file is a new task for the
 * stage cache and the run id, and a worker that loads the stored canonical spec verifies the same bytes.
 *
 * @param spec          the catalogue spec (name {@link #versionedName})
 * @param baseName      the name as written in the file
 * @param target        the declared target kind
 * @param inputDtype    numpy name of the inputs' element type ({@code float32})
 * @param normalize     z-score the inputs per channel with the train split's statistics
 * @param data          the splits' files
 * @param canonicalYaml the canonical form (stored in the artifact store by {@code mona tasks add})
 * @param origin        where it was read from, for messages
 */
public record TaskSpecFile(TaskSpec spec, String baseName, TargetKind target, String inputDtype, boolean normalize,
                           Data data, String canonicalYaml, String origin) {

    /** Family of every spec task in the catalogue. */
    public static final String FAMILY = "spec";

    /** What the task predicts. */
    public enum TargetKind {
        CLASSIFICATION("classification"), MULTILABEL("multilabel"), DENSE_1D("dense-1d"), DENSE_2D("dense-2d"),
        REGRESSION("regression");

        private final String label;

        TargetKind(String label) {
            this.label = label;
        }

        /** The spelling in a spec file. */
        public String label() {
            return label;
        }
    }

    /**
     * One array in a file.
     *
     * @param file    absolute path, {@code https://} URL or {@code s3://BUCKET/KEY}
     * @param sha256  the file's SHA-256 (always set in a parsed spec)
     * @param array   npz member or HDF5 dataset path; null for npy and CSV
     * @param columns CSV columns (empty: for x, every column that is not a target column)
     */
    public record ArrayRef(String file, String sha256, String array, List<String> columns) {
        /** True for an {@code https://} or {@code s3://} file (fetched into the cache by its digest). */
        public boolean remote() {
            return file.startsWith("https://") || inStore();
        }

        /** True for an {@code s3://BUCKET/KEY} object on the artifact store's endpoint. */
        public boolean inStore() {
            return file.startsWith(S3);
        }

        /** The file's name in the task's fetched files (unique per content). */
        public String fetchedName() {
            return sha256.substring(0, 12) + "-" + file.substring(file.lastIndexOf('/') + 1);
        }

        /** {@code file:array} for messages. */
        public String describe() {
            String f = file.substring(file.lastIndexOf('/') + 1);
            return array != null ? f + ":" + array : columns.isEmpty() ? f : f + ":" + String.join(",", columns);
        }
    }

    /** Inputs and targets of one part of a split. */
    public record Part(ArrayRef x, ArrayRef y) {
    }

    /**
     * The splits' files.
     *
     * @param validation         empty: carved from train ({@code validationFraction}, {@code seed})
     * @param seed               seed of the carve; null: the run's seed
     */
    public record Data(List<Part> train, List<Part> validation, List<Part> test, double validationFraction,
                       Long seed) {
    }

    /** Scheme of the objects of the artifact store's endpoint (any bucket, read with the store's credentials). */
    public static final String S3 = "s3://";

    /** The source encoders a spec may prefer (the names of {@code mona run --source}). */
    private static final String VIT = dev.mona.core.config.ConfigKeys.VIT;
    private static final String MINILM = dev.mona.core.config.ConfigKeys.MINILM;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,47}");
    private static final Set<String> TOP = Set.of("name", "description", "modality", "input", "target", "loss",
            "metric", "classWeights", "normalize", "source", "train", "data");

    /** The catalogue name: {@code <name>@<first 10 hex digits of the canonical form's SHA-256>}. */
    public String versionedName() {
        return spec.name();
    }

    /** The catalogue entry: this spec and its {@link SpecTaskLoader}. */
    public TaskCatalog.Entry entry() {
        return new TaskCatalog.Entry(spec, loader());
    }

    /** The loader of this spec's splits. */
    public SpecTaskLoader loader() {
        return new SpecTaskLoader(this);
    }

    /** SHA-256 of the canonical form: covers the spec and, through the files' digests, their contents. */
    public String digest() {
        return Digests.sha256(canonicalYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** True for a name that is a spec file on disk rather than a task name. */
    public static boolean isSpecPath(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /** Reads and checks a spec file; every local data file is hashed (but not yet read). */
    public static TaskSpecFile read(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new TaskSpecException(Kind.MISSING_DATA, file.toString(), "no such task spec file; give the path "
                    + "of a YAML task spec (see 'mona tasks add --help')");
        }
        return parse(Files.readString(abs), abs.getParent(), abs.toString());
    }

    /**
     * Parses a spec. Relative paths are resolved against {@code baseDir}; {@code origin} names the spec in
     * messages. A canonical form parses to itself.
     */
    public static TaskSpecFile parse(String yaml, Path baseDir, String origin) throws IOException {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new TaskSpecException(Kind.BAD_CONFIGURATION, origin, "not valid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new TaskSpecException(Kind.BAD_CONFIGURATION, origin, "a task spec is a YAML mapping with keys "
                    + String.join(", ", new java.util.TreeSet<>(TOP)));
        }
        return new Parser(origin, baseDir).parse(top);
    }

    /** Reads the spec file, parses it and checks its keys; the values' checks live next to their use. */
    private static final class Parser {
        private final String origin;
        private final Path baseDir;
        private final Map<String, String> digests = new LinkedHashMap<>();

        Parser(String origin, Path baseDir) {
            this.origin = origin;
            this.baseDir = baseDir;
        }

        TaskSpecFile parse(Map<?, ?> top) throws IOException {
            keys(top, TOP, "");
            String name = string(top, "name", null, "");
            if (!NAME.matcher(name).matches()) {
                throw bad("name '" + name + "' must be 1 to 48 lower-case letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit");
            }
            if (TaskCatalog.all().stream().anyMatch(t -> t.name().equals(name) && !FAMILY.equals(t.family()))) {
                throw bad("name '" + name + "' is a catalogue task; choose another name");
            }
            String description = string(top, "description", "task spec " + name, "");
            String modality = string(top, "modality", null, "").toLowerCase(Locale.ROOT);
            Map<?, ?> input = map(top, "input", true, "");
            keys(input, Set.of("shape", "dtype"), "input.");
            long[] shape = shape(input.get("shape"), "input.shape");
            String dtype = string(input, "dtype", "float32", "input.").toLowerCase(Locale.ROOT);
            if (!SpecArrays.INPUT_DTYPES.contains(dtype)) {
                throw bad("input.dtype '" + dtype + "' is not one of " + SpecArrays.INPUT_DTYPES);
            }
            int dims = switch (modality) {
                case "sequence" -> 2;
                case "image" -> 3;
                default -> throw bad("modality '" + modality + "' must be sequence (input [C, L]) or image "
                        + "(input [C, H, W])");
            };
            if (shape.length != dims) {
                throw bad("input.shape " + java.util.Arrays.toString(shape) + " of a " + modality + " task must have "
                        + dims + " dimensions (" + (dims == 2 ? "[channels, length]" : "[channels, height, width]")
                        + ")");
            }

            Map<?, ?> targetMap = map(top, "target", true, "");
            keys(targetMap, Set.of("kind", "classes", "channels", "outputs"), "target.");
            String kindLabel = string(targetMap, "kind", null, "target.");
            TargetKind target = null;
            for (TargetKind k : TargetKind.values()) {
                if (k.label().equals(kindLabel)) {
                    target = k;
                }
            }
            if (target == null) {
                throw bad("target.kind '" + kindLabel + "' must be classification, multilabel, dense-1d, dense-2d "
                        + "or regression");
            }
            if ((target == TargetKind.DENSE_1D && dims != 2) || (target == TargetKind.DENSE_2D && dims != 3)) {
                throw bad("target.kind " + kindLabel + " needs modality " + (dims == 2 ? "image" : "sequence")
                        + " (the target has the input's spatial shape)");
            }
            int classes = 0;
            long[] outputShape;
            TaskKind kind;
            LossKind loss;
            MetricKind metric;
            switch (target) {
                case CLASSIFICATION, MULTILABEL -> {
                    classes = integer(targetMap, "classes", null, 2, 100_000, "target.");
                    outputShape = new long[]{classes};
                    kind = target == TargetKind.CLASSIFICATION ? TaskKind.CLASSIFICATION : TaskKind.MULTILABEL;
                    loss = target == TargetKind.CLASSIFICATION ? LossKind.CROSS_ENTROPY : LossKind.BCE_POS_WEIGHT;
                    metric = target == TargetKind.CLASSIFICATION ? MetricKind.ERROR_RATE : MetricKind.ONE_MINUS_MAP;
                }
                case DENSE_1D, DENSE_2D -> {
                    int channels = integer(targetMap, "channels", 1, 1, 4096, "target.");
                    outputShape = shape.clone();
                    outputShape[0] = channels;
                    kind = TaskKind.DENSE;
                    loss = target == TargetKind.DENSE_1D ? LossKind.NRMSE : LossKind.RELATIVE_L2;
                    metric = target == TargetKind.DENSE_1D ? MetricKind.NRMSE : MetricKind.RELATIVE_L2;
                }
                default -> {
                    int outputs = integer(targetMap, "outputs", 1, 1, 100_000, "target.");
                    outputShape = new long[]{outputs};
                    kind = TaskKind.REGRESSION;
                    loss = LossKind.MSE;
                    metric = MetricKind.RELATIVE_L2;
                }
            }
            Set<String> allowedTargetKeys = switch (target) {
                case CLASSIFICATION, MULTILABEL -> Set.of("kind", "classes");
                case DENSE_1D, DENSE_2D -> Set.of("kind", "channels");
                case REGRESSION -> Set.of("kind", "outputs");
            };
            keys(targetMap, allowedTargetKeys, "target.");
            loss = enumValue(LossKind.class, top, "loss", loss);
            metric = enumValue(MetricKind.class, top, "metric", metric);
            LossOptions lossOptions = LossOptions.defaults();
            if (top.containsKey("classWeights")) {
                // classification: cross-entropy class weights; multi-label: BCE positive-class weights
                boolean ce = target == TargetKind.CLASSIFICATION && loss == LossKind.CROSS_ENTROPY;
                boolean bce = target == TargetKind.MULTILABEL && loss == LossKind.BCE_POS_WEIGHT;
                if (!ce && !bce) {
                    throw bad("classWeights weight a classification task's cross_entropy loss or a multilabel "
                            + "task's bce_pos_weight loss; remove them for loss " + loss.name().toLowerCase(Locale.ROOT));
                }
                double[] w = doubles(top.get("classWeights"), "classWeights");
                if (w.length != classes) {
                    throw bad("classWeights has " + w.length + " values but target.classes is " + classes);
                }
                lossOptions = ce ? lossOptions.withClassWeight(w) : lossOptions.withPosWeight(w);
            }
            String norm = string(top, "normalize", "none", "").toLowerCase(Locale.ROOT);
            if (!norm.equals("none") && !norm.equals("zscore")) {
                throw bad("normalize '" + norm + "' must be zscore or none");
            }
            String source = string(top, "source", dims == 2 ? MINILM : VIT, "").toLowerCase(Locale.ROOT);
            if (!source.equals(VIT) && !source.equals(MINILM)) {
                throw bad("source '" + source + "' must be " + VIT + " or " + MINILM);
            }
            TrainConfig train = train(top.containsKey("train") ? map(top, "train", true, "") : Map.of());
            Data data = data(map(top, "data", true, ""));

            Map<String, Object> canonical = new LinkedHashMap<>();
            canonical.put("name", name);
            canonical.put("description", description);
            canonical.put("modality", modality);
            canonical.put("input", map2("shape", longs(shape), "dtype", dtype));
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("kind", target.label());
            switch (target) {
                case CLASSIFICATION, MULTILABEL -> t.put("classes", classes);
                case DENSE_1D, DENSE_2D -> t.put("channels", (int) outputShape[0]);
                case REGRESSION -> t.put("outputs", (int) outputShape[0]);
            }
            canonical.put("target", t);
            canonical.put("loss", loss.name().toLowerCase(Locale.ROOT));
            canonical.put("metric", metric.name().toLowerCase(Locale.ROOT));
            double[] weights = lossOptions.posWeight().length > 0 ? lossOptions.posWeight()
                    : lossOptions.classWeight();
            if (weights.length > 0) {
                List<Object> w = new ArrayList<>();
                for (double v : weights) {
                    w.add(v);
                }
                canonical.put("classWeights", w);
            }
            canonical.put("normalize", norm);
            canonical.put("source", source);
            Map<String, Object> tr = new LinkedHashMap<>();
            tr.put("epochs", train.epochs());
            tr.put("batch", train.batchSize());
            tr.put("lr", train.learningRate());
            tr.put("optimizer", train.optimizer().name().toLowerCase(Locale.ROOT));
            tr.put("weightDecay", train.weightDecay());
            tr.put("warmupEpochs", train.warmupEpochs());
            tr.put("clipNorm", train.clipNorm());
            canonical.put("train", tr);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("train", parts(data.train()));
            if (!data.validation().isEmpty()) {
                d.put("validation", parts(data.validation()));
            } else {
                d.put("validationFraction", data.validationFraction());
            }
            d.put("test", parts(data.test()));
            if (data.seed() != null) {
                d.put("seed", data.seed());
            }
            canonical.put("data", d);
            DumperOptions o = new DumperOptions();
            o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            o.setWidth(200);
            String text = new Yaml(o).dump(canonical);
            String version = Digests.sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 10);

            List<DataFile> files = new ArrayList<>();
            for (List<Part> split : List.of(data.train(), data.validation(), data.test())) {
                for (Part p : split) {
                    for (ArrayRef r : List.of(p.x(), p.y())) {
                        if (r.remote() && files.stream().noneMatch(f -> f.name().equals(r.fetchedName()))) {
                            files.add(new DataFile(r.fetchedName(), List.of(r.file()), -1, r.sha256()));
                        }
                    }
                }
            }
            TaskSpec spec = new TaskSpec(name + "@" + version, FAMILY, dims == 2 ? "sequence" : "image", shape,
                    outputShape, classes, kind, loss, metric, train, source.equals(MINILM) ? "roberta" : "swin",
                    files, files.isEmpty(), description, lossOptions);
            return new TaskSpecFile(spec, name, target, dtype, norm.equals("zscore"), data, text, origin);
        }

        private TrainConfig train(Map<?, ?> m) {
            keys(m, Set.of("epochs", "batch", "lr", "optimizer", "weightDecay", "warmupEpochs", "clipNorm"),
                    "train.");
            int epochs = integer(m, "epochs", 10, 0, 100_000, "train.");
            int batch = integer(m, "batch", 32, 1, 1 << 20, "train.");
            double lr = number(m, "lr", 1e-4, "train.");
            OptimizerKind opt = enumValue(OptimizerKind.class, m, "optimizer", OptimizerKind.ADAM);
            double wd = number(m, "weightDecay", 0, "train.");
            int warmup = integer(m, "warmupEpochs", 0, 0, 100_000, "train.");
            double clip = number(m, "clipNorm", 0, "train.");
            if (lr <= 0 || wd < 0 || clip < 0 || warmup > Math.max(0, epochs - 1)) {
                throw bad("train: lr must be > 0, weightDecay and clipNorm >= 0, warmupEpochs < epochs (got lr=" + lr
                        + " weightDecay=" + wd + " clipNorm=" + clip + " warmupEpochs=" + warmup + ")");
            }
            return new TrainConfig(epochs, batch, 1, opt, lr, wd, 0.9, warmup, clip);
        }

        private Data data(Map<?, ?> m) throws IOException {
            keys(m, Set.of("train", "validation", "test", "validationFraction", "seed"), "data.");
            List<Part> train = split(m, "train", true);
            List<Part> validation = split(m, "validation", false);
            List<Part> test = split(m, "test", true);
            double fraction = number(m, "validationFraction", 0.1, "data.");
            if (!validation.isEmpty() && m.containsKey("validationFraction")) {
                throw bad("data has both validation files and validationFraction; keep one");
            }
            if (fraction <= 0 || fraction >= 1) {
                throw bad("data.validationFraction must be in (0, 1), got " + fraction);
            }
            Long seed = m.containsKey("seed") ? (long) integer(m, "seed", 0, 0, Integer.MAX_VALUE, "data.") : null;
            return new Data(train, validation, test, fraction, seed);
        }

        private List<Part> split(Map<?, ?> m, String key, boolean required) throws IOException {
            Object v = m.get(key);
            if (v == null) {
                if (required) {
                    throw bad("data." + key + " is missing: give its files, e.g. " + key + ": {file: " + key
                            + ".npz, x: x, y: y}");
                }
                return List.of();
            }
            List<?> items = v instanceof List<?> l ? l : List.of(v);
            if (items.isEmpty()) {
                throw bad("data." + key + " is an empty list: give at least one part");
            }
            List<Part> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String where = "data." + key + (items.size() > 1 ? "[" + i + "]" : "") + ".";
                if (!(items.get(i) instanceof Map<?, ?> part)) {
                    throw bad(where + " must be a mapping {file, x, y} or {x: FILE, y: FILE}");
                }
                out.add(part(part, where));
            }
            return out;
        }

        private Part part(Map<?, ?> m, String where) throws IOException {
            keys(m, Set.of("file", "sha256", "x", "y"), where);
            if (!m.containsKey("y")) {
                throw bad(where + "y is missing: name the targets (array, dataset, column(s) or file)");
            }
            if (m.containsKey("file")) {
                String file = location(string(m, "file", null, where), where + "file");
                String sha = checksum(file, m.get("sha256") == null ? null : m.get("sha256").toString(),
                        where + "file");
                boolean csv = file.toLowerCase(Locale.ROOT).endsWith(".csv");
                return new Part(inFile(file, sha, m.get("x"), csv, where + "x", true),
                        inFile(file, sha, m.get("y"), csv, where + "y", false));
            }
            if (m.containsKey("sha256")) {
                throw bad(where + "sha256 belongs to a file: with separate x and y files give {file, sha256} for each");
            }
            if (!m.containsKey("x")) {
                throw bad(where + "x is missing: name the inputs' file, or give file with x and y");
            }
            return new Part(own(m.get("x"), where + "x."), own(m.get("y"), where + "y."));
        }

        /** An array of a part's shared file: its member/dataset name, or CSV columns. */
        private ArrayRef inFile(String file, String sha, Object v, boolean csv, String where, boolean isX) {
            if (csv) {
                List<String> cols = v == null ? List.of() : v instanceof List<?> l
                        ? l.stream().map(Object::toString).toList() : List.of(v.toString());
                if (!isX && cols.isEmpty()) {
                    throw bad(where + " must name the label column(s) of " + file);
                }
                return new ArrayRef(file, sha, null, cols);
            }
            if (v == null) {
                throw bad(where + " is missing: name the npz member or HDF5 dataset of " + file);
            }
            if (file.toLowerCase(Locale.ROOT).endsWith(".npy")) {
                throw bad(where + ": an npy file holds one array; give {x: X.npy, y: Y.npy} without file");
            }
            return new ArrayRef(file, sha, v.toString(), List.of());
        }

        /** An array in its own file: {@code x: a.npy} or {@code x: {file, sha256, array}}. */
        private ArrayRef own(Object v, String where) throws IOException {
            Map<?, ?> m = v instanceof Map<?, ?> mm ? mm : Map.of("file", String.valueOf(v));
            keys(m, Set.of("file", "sha256", "array", "columns"), where);
            String file = location(string(m, "file", null, where), where + "file");
            String sha = checksum(file, m.get("sha256") == null ? null : m.get("sha256").toString(), where + "file");
            String lower = file.toLowerCase(Locale.ROOT);
            List<String> cols = m.get("columns") instanceof List<?> l ? l.stream().map(Object::toString).toList()
                    : List.of();
            if ((lower.endsWith(".npz") || SpecArrays.isHdf5(lower)) && m.get("array") == null) {
                throw bad(where + "array is missing: name the npz member or HDF5 dataset of " + file);
            }
            return new ArrayRef(file, sha, m.get("array") == null ? null : m.get("array").toString(), cols);
        }

        /** An absolute path, an https URL or an s3 object. */
        private String location(String file, String where) {
            String lower = file.toLowerCase(Locale.ROOT);
            if (lower.startsWith("https://")) {
                URI.create(file);
                return file;
            }
            if (lower.startsWith(S3)) {
                if (!file.substring(S3.length()).matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+")) {
                    throw bad(where + " '" + file + "' must be s3://BUCKET/KEY (a bucket of the artifact store's "
                            + "endpoint)");
                }
            } else if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
                throw bad(where + " '" + file + "': only local paths, https:// URLs and s3://BUCKET/KEY objects "
                        + "(both with sha256) are supported");
            }
            String format = SpecArrays.format(lower);
            if (format == null) {
                throw bad(where + " '" + file + "': unknown format; use .npy, .npz, .h5/.hdf5 or .csv");
            }
            return lower.startsWith(S3) ? file : baseDir.resolve(file).toAbsolutePath().normalize().toString();
        }

        /** The file's SHA-256: checked against the given one for a local file, required for a URL. */
        private String checksum(String file, String given, String where) throws IOException {
            String expected = given == null ? null : Digests.normalise(given);
            if (file.startsWith("https://") || file.startsWith(S3)) {
                if (expected == null || !expected.matches("[0-9a-f]{64}")) {
                    throw bad(where + " '" + file + "' needs sha256: the 64 hex digits of the file's SHA-256 "
                            + "(sha256sum FILE)");
                }
                return expected;
            }
            String actual = digests.get(file);
            if (actual == null) {
                Path p = Path.of(file);
                if (!Files.isRegularFile(p)) {
                    throw new TaskSpecException(Kind.MISSING_DATA, origin, where + ": data file " + file
                            + " does not exist; fix the path (relative paths start at the spec file's folder)");
                }
                actual = Digests.sha256(p);
                digests.put(file, actual);
            }
            if (expected != null && !expected.equals(actual)) {
                throw new TaskSpecException(Kind.CORRUPT_DATA, origin, where + ": data file " + file
                        + " has sha256 " + actual + " but the spec says " + expected + "; replace the file or "
                        + "update sha256");
            }
            return actual;
        }

        private static List<Object> parts(List<Part> parts) {
            List<Object> out = new ArrayList<>();
            for (Part p : parts) {
                out.add(map2("x", ref(p.x()), "y", ref(p.y())));
            }
            return out;
        }

        private static Map<String, Object> ref(ArrayRef r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", r.file());
            m.put("sha256", r.sha256());
            if (r.array() != null) {
                m.put("array", r.array());
            }
            if (!r.columns().isEmpty()) {
                m.put("columns", new ArrayList<>(r.columns()));
            }
            return m;
        }

        private static Map<String, Object> map2(String k1, Object v1, String k2, Object v2) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(k1, v1);
            m.put(k2, v2);
            return m;
        }

        private static List<Object> longs(long[] v) {
            List<Object> out = new ArrayList<>();
            for (long x : v) {
                out.add(x);
            }
            return out;
        }

        private void keys(Map<?, ?> m, Set<String> allowed, String prefix) {
            for (Object k : m.keySet()) {
                if (!allowed.contains(String.valueOf(k))) {
                    throw bad("unknown key '" + prefix + k + "'; allowed here: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
        }

        private Map<?, ?> map(Map<?, ?> m, String key, boolean required, String prefix) {
            Object v = m.get(key);
            if (v instanceof Map<?, ?> mm) {
                return mm;
            }
            if (v == null && !required) {
                return Map.of();
            }
            throw bad(prefix + key + (v == null ? " is missing" : " must be a mapping, got '" + v + "'"));
        }

        private String string(Map<?, ?> m, String key, String dflt, String prefix) {
            Object v = m.get(key);
            if (v == null) {
                if (dflt == null) {
                    throw bad(prefix + key + " is missing");
                }
                return dflt;
            }
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw bad(prefix + key + " must be a single value, got " + v);
            }
            return v.toString().strip();
        }

        private int integer(Map<?, ?> m, String key, Integer dflt, int min, int max, String prefix) {
            Object v = m.get(key);
            if (v == null) {
                if (dflt == null) {
                    throw bad(prefix + key + " is missing");
                }
                return dflt;
            }
            if (!(v instanceof Integer i) || i < min || i > max) {
                throw bad(prefix + key + " must be an integer from " + min + " to " + max + ", got '" + v + "'");
            }
            return i;
        }

        private double number(Map<?, ?> m, String key, double dflt, String prefix) {
            Object v = m.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                return n.doubleValue();
            }
            try {
                double d = Double.parseDouble(v.toString());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(prefix + key + " must be a finite number, got '" + v + "'");
        }

        private <E extends Enum<E>> E enumValue(Class<E> type, Map<?, ?> m, String key, E dflt) {
            Object v = m.get(key);
            if (v == null) {
                return dflt;
            }
            String s = v.toString().strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
            }
            throw bad(key + " '" + v + "' must be one of " + String.join(", ", names));
        }

        private long[] shape(Object v, String where) {
            if (!(v instanceof List<?> l) || l.isEmpty()) {
                throw bad(where + " must be a list of positive integers, e.g. [1, 1000]");
            }
            long[] out = new long[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Integer n) || n <= 0) {
                    throw bad(where + " must be a list of positive integers, got " + l);
                }
                out[i] = n;
            }
            return out;
        }

        private double[] doubles(Object v, String where) {
            if (!(v instanceof List<?> l) || l.isEmpty()) {
                throw bad(where + " must be a list of numbers");
            }
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n) || !(n.doubleValue() > 0)) {
                    throw bad(where + " must be a list of positive numbers, got " + l);
                }
                out[i] = n.doubleValue();
            }
            return out;
        }

        private TaskSpecException bad(String what) {
            return new TaskSpecException(Kind.BAD_CONFIGURATION, origin, what);
        }
    }
}
