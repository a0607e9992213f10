package dev.mona.cli;

import dev.mona.activities.RunConfigs;
import dev.mona.activities.stage.CoreModels;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.core.config.RunConfig;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.SwinConfig;
import dev.mona.core.pretrained.Cifar10;
import dev.mona.core.pretrained.SourceEncoder;
import dev.mona.core.task.TaskSpec;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.TransferRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code mona sweep SPEC --plan} prints instead of submitting: the sweep's runs, the files its runs fetch (task
 * data and source weights, with their sizes where the catalogue knows them) and the {@link CostModel} estimate of
 * each run's hours on the calibrated device. Needs neither Temporal nor a store.
 *
 * @param sweep       the sweep in canonical form (every run checked)
 * @param runs        one row per run, in the sweep's order
 * @param downloads   each file once: task data, then source weights
 * @param calibration what the hours are priced with
 */
record SweepPlan(SweepRequest sweep, List<Run> runs, List<Download> downloads, CostModel.Calibration calibration) {
    /**
     * One run of the plan.
     *
     * @param samples training samples per epoch, -1 unknown
     * @param passes  training passes ({@link CostModel#passes}), -1 unknown
     * @param work    encoder work of one sample ({@link CostModel#work})
     * @param hours   estimated hours on the calibration's device, -1 unknown
     */
    record Run(String task, String method, long seed, String source, long samples, double passes, double work,
               double hours) {
    }

    /**
     * One file to fetch.
     *
     * @param owner a task name, or {@code source <name>}
     * @param file  its name in the data cache
     * @param bytes its size, -1 unknown
     */
    record Download(String owner, String file, long bytes) {
    }

    /** The plan of {@code canonical} (from {@link RequestChecks#canonical(SweepRequest)}), priced by {@code cal}. */
    static SweepPlan of(SweepRequest canonical, CostModel.Calibration cal) {
        List<Run> runs = new ArrayList<>();
        Map<String, Double> work = new HashMap<>();
        Set<String> tasks = new LinkedHashSet<>();
        Set<String> sources = new LinkedHashSet<>();
        for (TransferRequest r : canonical.runs()) {
            TaskSpec spec = TaskStage.spec(r.task());
            String source = SourceStage.resolve(r.source(), r.task());
            RunConfig config = RunConfigs.forStage(r.task(), r.method(), source, r.overrides());
            double w = work.computeIfAbsent(r.task() + " " + source,
                    k -> CostModel.work(CoreModels.model(spec, architecture(source), config.targetSeqLen())));
            double passes = CostModel.passes(spec, r.method(), config);
            double hours = passes < 0 ? -1 : passes * w * cal.secondsPerUnit() / 3600.0;
            runs.add(new Run(r.task(), r.method().label(), r.seed(), source,
                    CostModel.trainSamples(spec, config.integer("limit")), passes, w, hours));
            tasks.add(r.task());
            sources.add(source);
        }
        List<Download> downloads = new ArrayList<>();
        for (String t : tasks) {
            for (DataFile f : TaskStage.spec(t).files()) {
                downloads.add(new Download(t, f.name(), f.sizeBytes()));
            }
        }
        for (String s : sources) {
            downloads.addAll(sourceFiles(s));
        }
        return new SweepPlan(canonical, runs, downloads, cal);
    }

    /**
     * The encoder architecture of a source: a published checkpoint's is the one its config.json describes (Swin-B at
     * 224 px, RoBERTa-base), known without fetching it.
     */
    static EncoderConfig architecture(String source) {
        return switch (source) {
            case "swin-base" -> SwinConfig.swinBasePatch4Window7_224();
            case "roberta-base" -> BertConfig.robertaBase();
            default -> SourceStage.encoderConfig(source, "");
        };
    }

    /**
     * The files a source fetches: a published checkpoint's repository files (sizes unknown here) and, for Swin-B, the
     * CIFAR-10 archive of its default source set; the offline sources ({@code fashion-mnist-vit}, {@code minilm})
     * come with the installed offline data and fetch nothing.
     */
    private static List<Download> sourceFiles(String source) {
        SourceEncoder s = SourceEncoder.byId(source);
        List<Download> files = new ArrayList<>();
        if (s.repo() == null) {
            return files;
        }
        for (String f : s.files()) {
            files.add(new Download("source " + source, s.repo() + "/" + f, -1));
        }
        if (s == SourceEncoder.SWIN_BASE) {
            files.add(new Download("source " + source, Cifar10.ARCHIVE.name(), Cifar10.ARCHIVE.sizeBytes()));
        }
        return files;
    }

    /** Bytes of the files whose size is known. */
    long knownBytes() {
        return downloads.stream().mapToLong(Download::bytes).filter(b -> b >= 0).sum();
    }

    /** Files whose size is not known. */
    long unknownSizeFiles() {
        return downloads.stream().filter(d -> d.bytes() < 0).count();
    }

    /** Sum of the runs' hours that are known. */
    double knownHours() {
        return runs.stream().mapToDouble(Run::hours).filter(h -> h >= 0).sum();
    }

    /** Tasks whose runs have no estimate (training samples unknown). */
    List<String> unpricedTasks() {
        return runs.stream().filter(r -> r.hours() < 0).map(Run::task).distinct().toList();
    }

    long unpricedRuns() {
        return runs.stream().filter(r -> r.hours() < 0).count();
    }

    /** The first line: name, id, counts. */
    String headline() {
        return String.format(Locale.ROOT, "sweep %s (%s): %d runs = %d tasks x %d methods x %d seeds, %d at a time",
                sweep.name(), sweep.workflowId(), runs.size(), sweep.tasks().size(), sweep.methods().size(),
                sweep.seeds().size(), sweep.maxConcurrent());
    }

    /** The download summary line. */
    String downloadLine() {
        long unknown = unknownSizeFiles();
        return "data and weights to fetch (once, into the data cache): " + downloads.size() + " files, " + gb(knownBytes())
                + " GB" + (unknown == 0 ? "" : " in the " + (downloads.size() - unknown) + " of known size, " + unknown
                + " of unknown size");
    }

    /** The estimate line, naming the device and what the hours are. */
    String estimateLine() {
        long unpriced = unpricedRuns();
        return String.format(Locale.ROOT, "estimate: %s %s hours on %s for %d of %d runs", hours(knownHours()),
                calibration.onCpu() ? "CPU" : "GPU", calibration.device(), runs.size() - unpriced, runs.size())
                + (calibration.onCpu() ? " (calibrated on CPU: plan on the GPU machine, or pass --calibration with a "
                + "figure taken there, for GPU hours)" : "")
                + (unpriced == 0 ? "" : "; " + unpriced + " runs unknown (training samples not known for "
                + String.join(", ", unpricedTasks()) + "; set limit to bound them)");
    }

    /** The cost model and its calibration, one line. */
    String calibrationLine() {
        return String.format(Locale.ROOT, "cost model: hours = passes x work x %.4g s / 3600, work = sum over encoder "
                        + "layers of tokens x width^2; calibrated by bench train-step %s on %s (%.1f ms a step of %d "
                        + "samples, work %.4g; %s); not counted: evaluation, the source stage, the probe and "
                        + "t-SNE, ORCA's OTDD (on the host), so small runs take longer than this",
                calibration.secondsPerUnit(), calibration.size(),
                calibration.device(), calibration.msPerStep(), calibration.batch(), calibration.workPerSample(),
                calibration.from());
    }

    /** The JSON object of {@code --format json}. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sweep", sweep.name());
        m.put("workflowId", sweep.workflowId());
        m.put("runs", runs.size());
        m.put("tasks", sweep.tasks());
        m.put("methods", sweep.methods().stream().map(x -> x.label()).toList());
        m.put("seeds", sweep.seeds());
        m.put("maxConcurrent", sweep.maxConcurrent());
        m.put("table", runs.stream().map(SweepPlan::row).toList());
        m.put("downloads", downloads.stream().map(d -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("owner", d.owner());
            o.put("file", d.file());
            o.put("bytes", d.bytes() < 0 ? null : d.bytes());
            return o;
        }).toList());
        m.put("downloadBytes", knownBytes());
        m.put("unknownSizeFiles", unknownSizeFiles());
        m.put("hours", knownHours());
        m.put("unpricedRuns", unpricedRuns());
        m.put("hoursOn", calibration.onCpu() ? "cpu" : "gpu");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("size", calibration.size());
        c.put("device", calibration.device());
        c.put("batch", calibration.batch());
        c.put("msPerStep", calibration.msPerStep());
        c.put("workPerSample", calibration.workPerSample());
        c.put("secondsPerUnit", calibration.secondsPerUnit());
        c.put("from", calibration.from());
        m.put("calibration", c);
        return m;
    }

    private static Map<String, Object> row(Run r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("task", r.task());
        o.put("method", r.method());
        o.put("seed", r.seed());
        o.put("source", r.source());
        o.put("samples", r.samples() < 0 ? null : r.samples());
        o.put("passes", r.passes() < 0 ? null : r.passes());
        o.put("work", r.work());
        o.put("hours", r.hours() < 0 ? null : r.hours());
        return o;
    }

    static final List<String> COLUMNS = List.of("task", "method", "seed", "source", "samples", "passes", "hours");

    /** The cells of one run, as the table, csv and markdown show them. */
    static List<String> cells(Run r) {
        return List.of(r.task(), r.method(), Long.toString(r.seed()), r.source(),
                r.samples() < 0 ? "unknown" : Long.toString(r.samples()),
                r.passes() < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f", r.passes()),
                r.hours() < 0 ? "unknown" : hours(r.hours()));
    }

    private static String hours(double h) {
        return String.format(Locale.ROOT, "%.3g", h);
    }

    /** A size in GB, or "unknown". */
    static String gb(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        return String.format(Locale.ROOT, "%.3f", bytes / 1e9);
    }
}
