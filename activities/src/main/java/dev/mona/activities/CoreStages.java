package dev.mona.activities;

import ai.djl.ndarray.NDManager;
import dev.mona.core.analysis.LinearProbe;
import dev.mona.core.analysis.ModalityDiscrepancy;
import dev.mona.core.analysis.Tsne;
import dev.mona.core.analysis.TsnePanels;
import dev.mona.activities.stage.CoreModels;
import dev.mona.activities.stage.ExportStage;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.config.RunConfig;
import dev.mona.core.engine.Engines;
import dev.mona.core.engine.Precision;
import dev.mona.core.export.ExportMetadata;
import dev.mona.core.export.OnnxExporter;
import dev.mona.core.fetch.Digests;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.method.Method;
import dev.mona.core.method.MethodContext;
import dev.mona.core.method.Stage1Listener;
import dev.mona.core.method.Stage1Step;
import dev.mona.core.metric.Losses;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.task.LoadedTask;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.train.CheckpointStore;
import dev.mona.core.train.EpochSummary;
import dev.mona.core.train.TrainConfig;
import dev.mona.core.train.TrainResult;
import dev.mona.core.train.Trainer;
import dev.mona.core.train.TrainerOptions;
import dev.mona.core.train.TrainingListener;
import dev.mona.core.train.TrainingState;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.stage.AlignRequest;
import dev.mona.workflows.stage.AlignResult;
import dev.mona.workflows.stage.DatasetRef;
import dev.mona.workflows.stage.EpochError;
import dev.mona.workflows.stage.EpochWeights;
import dev.mona.workflows.stage.ExportRequest;
import dev.mona.workflows.stage.ExportResult;
import dev.mona.workflows.stage.FineTuneRequest;
import dev.mona.workflows.stage.FineTuneResult;
import dev.mona.workflows.stage.ProbeRequest;
import dev.mona.workflows.stage.ProbeResult;
import dev.mona.workflows.stage.SourceRef;
import dev.mona.workflows.stage.StageHeartbeat;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The stages of catalogue tasks over core: sources from {@code dev.mona.core.pretrained}, stage 1 from
 * {@code dev.mona.core.method} (its checkpoints mirrored to the store every {@code align.checkpoint-every} steps),
 * stage 2 from core's {@link Trainer} (its checkpoints mirrored after every epoch), both restored before a retried
 * attempt; the ONNX export from {@code dev.mona.core.export}.
 */
final class CoreStages {
    private static final Logger LOG = LoggerFactory.getLogger(CoreStages.class);

    private CoreStages() {}

    static SourceRef prepareSource(ArtifactStore store, StageCache cache, String ck, String encoder, RunConfig c) {
        Path dir = scratch();
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            SourceStage.Prepared p = SourceStage.prepareCore(encoder, c, m, dir.resolve("weights.safetensors"));
            byte[] w = Files.readAllBytes(p.weights());
            Map<String, HostTensor> sets = new LinkedHashMap<>();
            sets.put("x", p.sourceSet().x());
            sets.put("y", p.sourceSet().y());
            sets.put("probe.x", p.probeSet().x());
            sets.put("probe.y", p.probeSet().y());
            Map<String, String> meta = new LinkedHashMap<>(p.provenance());
            meta.put("encoder", encoder);
            meta.put("classes", Integer.toString(p.classes()));
            byte[] src = new TensorFile(meta, sets).encode();
            return Artifacts.storeSource(store, cache, ck, encoder, w, src, ArtifactKeys::sourceWeightsSafetensors,
                    p.encoderConfig(), p.provenance());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /**
     * Names the stage in one heartbeat, then runs {@code body} (the probe has no step hook): the worker's timer
     * ({@code dev.mona.workers.LivenessHeartbeats}) repeats that heartbeat while the body runs.
     */
    private static <T> T announced(ActivityExecutionContext ctx, String stage, Supplier<T> body) {
        ctx.heartbeat(new StageHeartbeat(stage, 0, 0, 0, 0, 0, null, ctx.getInfo().getAttempt()));
        return body.get();
    }

    static AlignResult align(ArtifactStore store, StageCache cache, String ck, String impl, AlignRequest r,
                             RunConfig c) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = ctx.getInfo().getAttempt();
        TaskSpec spec = TaskStage.spec(r.dataset().task());
        Path dir = scratch();
        Path local = dir.resolve("align-checkpoints");
        CheckpointMirror mirror = new CheckpointMirror(store, ArtifactKeys.alignCheckpoints(r.runId()), "step", ck,
                ctx.getInfo().getRunId());
        try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
            List<Integer> resumedFrom = new ArrayList<>();
            String[] lastKey = {null};
            // a retry resumes from the newest checkpoint (--no-cache: only from one this execution of the run wrote)
            Restored restored = mirror.restore(local, r.noCache());
            if (restored != null) {
                resumedFrom.addAll(restored.resumedFrom());
                resumedFrom.add(Math.toIntExact(restored.position()));
                lastKey[0] = restored.folder();
                // recorded at once: an attempt lost before its first checkpoint still counts as a resume
                mirror.pointTo(restored.position(), restored.folder(), resumedFrom, List.of());
                LOG.info("{}: attempt {} resumes stage 1 after step {}", r.runId(), attempt,
                        restored.position());
            }
            ctx.heartbeat(new StageHeartbeat("align", 0, 0, resumedFrom.isEmpty() ? 0
                    : resumedFrom.get(resumedFrom.size() - 1), 0, 0, lastKey[0], attempt));
            TransferModel model = CoreModels.model(spec, r.source(), c);
            Artifacts.Source source = Artifacts.source(store, r.source());
            Params enc = CoreModels.encoderParams(model, source.weightsFile(dir), m);
            Params params = CoreModels.initial(model, enc, false, c.stage1Runs(r.method().label()), m, r.seed());
            List<Integer> resumedFinal = List.copyOf(resumedFrom);
            // summary.csv: the rows of the steps the restored checkpoint covers stay, later ones are recomputed
            long keepThrough = resumedFrom.isEmpty() ? 0 : resumedFrom.get(resumedFrom.size() - 1);
            int every = c.integer("align.checkpoint-every");
            List<SummaryCsv.Row> rows = new ArrayList<>();
            Stage1Listener listener = new Stage1Listener() {
                private Progress last = new Progress(0, 0, 0, 0, 0, 0, 0);
                private Stage1Step losses;
                private long since = System.nanoTime();

                @Override
                public void onStage1Step(Stage1Step step) {
                    losses = step;
                }

                @Override
                public void onStep(Progress p) {
                    last = p;
                    // a row every step, with the losses reported for it; stored every checkpoint interval and last
                    long now = System.nanoTime();
                    Stage1Step mine = losses != null && losses.step() == p.step() ? losses : null;
                    rows.add(SummaryCsv.align(p.step(), p.loss(), p.lr(), (now - since) / 1e9, attempt, mine));
                    since = now;
                    if (p.step() == p.totalSteps() || (every > 0 && p.step() % every == 0)) {
                        writeSummary(store, r.runId(), "align", keepThrough, rows);
                    }
                    ctx.heartbeat(new StageHeartbeat("align", 0, 0, p.step(), p.totalSteps(), p.loss(), lastKey[0],
                            attempt, mine == null ? Map.of() : SummaryCsv.stage1Columns(mine)));
                }

                @Override
                public void onCheckpoint(Path checkpoint, long step) {
                    lastKey[0] = mirror.upload(local, checkpoint, step, resumedFinal, List.of());
                    ctx.heartbeat(new StageHeartbeat("align", 0, 0, step, last.totalSteps(), last.loss(), lastKey[0],
                            attempt));
                }
            };
            MethodContext mc = context(store, spec, model, m, params, r.dataset(), source.sourceSet(), c,
                    TrainerOptions.seeded(r.seed())).withStage1(c.stage1(local).withListener(listener));
            Method method = c.method(r.method().label(), r.seed(), mc.source());
            List<Double> losses = method.prepare(mc);
            Path out = dir.resolve("aligned.safetensors");
            ParamsIO.save(out, params, Map.of("mona.method", r.method().label()));
            byte[] bytes = Files.readAllBytes(out);
            String key = ArtifactKeys.embedder(r.runId());
            store.put(key, bytes, "application/octet-stream");
            AlignResult res = new AlignResult(key, Digests.sha256(bytes), impl, method.updates(mc),
                    losses.isEmpty() ? 0 : losses.get(losses.size() - 1), false);
            cache.record("align", ck, res);
            return res;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    private static MethodContext context(ArtifactStore store, TaskSpec spec, TransferModel model, NDManager m,
                                         Params params, DatasetRef dataset, DataSplit src, RunConfig c,
                                         TrainerOptions options) {
        LoadedTask data = Artifacts.loadedTask(store, dataset);
        TrainConfig stage2 = c.train();
        return new MethodContext(model, m, params, data.data(), spec.kind() == TaskKind.CLASSIFICATION, src,
                data.trainingLoss(Losses.of(spec.loss(), spec.lossOptions())), spec.metric(),
                stage2, options, data.validationScorer(spec.metric()), data.testScorer(spec.metric()));
    }

    static FineTuneResult fineTune(ArtifactStore store, StageCache cache, String ck, String impl, FineTuneRequest r,
                                   RunConfig c) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = ctx.getInfo().getAttempt();
        TaskSpec spec = TaskStage.spec(r.dataset().task());
        Path dir = scratch();
        Path local = dir.resolve("checkpoints");
        CheckpointMirror mirror = new CheckpointMirror(store, ArtifactKeys.checkpoints(r.runId()), "epoch", ck,
                ctx.getInfo().getRunId());
        try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
            TransferModel model = CoreModels.model(spec, r.source(), c);
            Artifacts.Source source = Artifacts.source(store, r.source());
            Params params;
            if (r.aligned() != null && r.aligned().embedderKey() != null) {
                params = CoreModels.allParams(model, Artifacts.download(store, r.aligned().embedderKey(),
                        r.aligned().digest(), dir.resolve("aligned.safetensors")), m);
            } else {
                Params enc = CoreModels.encoderParams(model, source.weightsFile(dir), m);
                params = CoreModels.initial(model, enc, r.method() == TransferMethod.SCRATCH, false, m, r.seed());
            }
            List<Integer> resumedFrom = new ArrayList<>();
            // the attempt that computed each finished epoch, for summary.csv
            List<Integer> attempts = new ArrayList<>();
            // a retry resumes from the newest checkpoint (--no-cache: only from one this execution of the run wrote)
            Restored restored = mirror.restore(local, r.noCache());
            if (restored != null) {
                resumedFrom.addAll(restored.resumedFrom());
                resumedFrom.add(Math.toIntExact(restored.position()) + 1);
                attempts.addAll(restored.attempts());
                // recorded at once: an attempt lost before its first checkpoint still counts as a resume
                mirror.pointTo(restored.position(), restored.folder(), resumedFrom, attempts);
                LOG.info("{}: attempt {} resumes fine-tuning after epoch {}", r.runId(), attempt,
                        restored.position());
            }
            if (resumedFrom.isEmpty() && attempt > 1) {
                resumedFrom.add(1);
            }
            TrainConfig stage2 = c.train();
            // the probe's epochs keep their weights outside checkpoints/, which the retention rule thins out
            List<Integer> probeAt = c.probeEpochs();
            if (probeAt.contains(0)) {
                Path start = dir.resolve("start.safetensors");
                ParamsIO.save(start, params, Map.of("mona.epoch", "0"));
                store.put(ArtifactKeys.probeWeights(r.runId(), 0), Files.readAllBytes(start),
                        "application/octet-stream");
            }
            String[] lastKey = {null};
            List<Integer> resumedFinal = List.copyOf(resumedFrom);
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onStep(Progress p) {
                    ctx.heartbeat(new StageHeartbeat("finetune", p.epoch() + 1, stage2.epochs(), p.step(),
                            p.totalSteps(), p.loss(), lastKey[0], attempt));
                }

                @Override
                public void onCheckpoint(Path checkpoint, TrainingState state) {
                    while (attempts.size() < state.epoch()) {
                        attempts.add(attempt);
                    }
                    if (probeAt.contains(state.epoch())) {
                        // before the pointer moves: a resumed attempt finds every earlier epoch's weights kept
                        try {
                            store.put(ArtifactKeys.probeWeights(r.runId(), state.epoch()), Files.readAllBytes(
                                    checkpoint.resolve(CheckpointStore.PARAMS)), "application/octet-stream");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    lastKey[0] = mirror.upload(local, checkpoint, state.epoch(), resumedFinal, attempts);
                    writeSummary(store, r.runId(), state.history(), attempts, attempt);
                    ctx.heartbeat(new StageHeartbeat("finetune", state.epoch(), stage2.epochs(), state.step(), 0, 0,
                            lastKey[0], attempt));
                }
            };
            MethodContext mc = context(store, spec, model, m, params, r.dataset(), source.sourceSet(), c,
                    TrainerOptions.seeded(r.seed()).withFreeze(c.freeze().toArray(String[]::new))
                            .withCheckpoints(local, 0).withListener(listener));
            Trainer trainer = new Trainer(model, mc.loss(), mc.metric(), mc.validationScorer(), stage2, mc.options());
            TrainResult result;
            double test;
            try (var precision = Precision.scope(c.precision(), m.getDevice())) {
                result = trainer.fit(m, params, mc.target());
                test = mc.target().test().size() == 0 ? Double.NaN
                        : trainer.evaluate(m, params, mc.target().test(), mc.testScorer());
            }
            Path finalFile = dir.resolve("final.safetensors");
            ParamsIO.save(finalFile, params, Map.of("mona.best_epoch", Integer.toString(result.bestEpoch())));
            byte[] bytes = Files.readAllBytes(finalFile);
            String key = ArtifactKeys.run(r.runId()) + "model/final.safetensors";
            store.put(key, bytes, "application/octet-stream");
            writeSummary(store, r.runId(), result.history(), attempts, attempt);
            List<EpochWeights> kept = new ArrayList<>();
            for (int e : probeAt) {
                String k = ArtifactKeys.probeWeights(r.runId(), e);
                kept.add(new EpochWeights(e, k, Digests.sha256(store.get(k))));
            }
            FineTuneResult res = new FineTuneResult(key, Digests.sha256(bytes), ArtifactKeys.summary(r.runId()),
                    stage2.epochs(), spec.metric().name(), result.bestValMetric(), test, resumedFinal, impl, false,
                    kept);
            store.putText(ArtifactKeys.fineTuneRecord(r.runId()), Json.write(Map.of("result", res, "hardware",
                    Provenance.hardware(), "libraries", Provenance.libraries())), "application/json");
            cache.record("finetune", ck, res);
            return res;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /** Writes the fine-tuning rows of {@code summary.csv}, keeping the rows of other stages. */
    private static void writeSummary(ArtifactStore store, String runId, List<EpochSummary> history,
                                     List<Integer> attempts, int current) {
        writeSummary(store, runId, "finetune", 0, SummaryCsv.fineTune(history, attempts, current));
    }

    /**
     * Writes the rows of {@code stage} in {@code summary.csv}, keeping the rows of other stages and those of
     * {@code stage} at steps up to {@code keepThrough}.
     */
    private static void writeSummary(ArtifactStore store, String runId, String stage, long keepThrough,
                                     List<SummaryCsv.Row> rows) {
        String key = ArtifactKeys.summary(runId);
        String existing = store.exists(key) ? store.getText(key) : null;
        store.putText(key, SummaryCsv.replace(existing, stage, keepThrough, rows), "text/csv");
    }

    /**
     * A stage's checkpoints in the store, under {@code remote}: each local checkpoint folder is mirrored to
     * {@code remote + UNIT-NNN/} (with the run's {@code best.safetensors} when there is one), then the pointer
     * {@code remote + latest.json} moves to it. The pointer names the position in the stage's {@code unit}
     * ({@code epoch} for fine-tuning, {@code step} for stage 1), the stage cache key the checkpoint belongs to, the
     * positions earlier attempts resumed from, the attempt that computed each finished epoch (fine-tuning) and the
     * workflow execution that wrote it ({@code execution}: Temporal's run id; a {@code --no-cache} run is a new
     * execution of a finished one and resumes only from its own checkpoints).
     */
    private record CheckpointMirror(ArtifactStore store, String remote, String unit, String ck, String execution) {
        /** Mirrors {@code checkpoint} (a folder of the local checkpoint directory {@code local}); returns its key. */
        String upload(Path local, Path checkpoint, long position, List<Integer> resumedFrom, List<Integer> attempts) {
            String base = remote + String.format("%s-%03d/", unit, position);
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    store.put(base + f.getFileName(), Files.readAllBytes(f), "application/octet-stream");
                }
                Path best = local.resolve("best.safetensors");
                if (Files.exists(best)) {
                    store.put(base + "best.safetensors", Files.readAllBytes(best), "application/octet-stream");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // the pointer goes last: a crash before it leaves the previous checkpoint in force
            pointTo(position, base, resumedFrom, attempts);
            return base;
        }

        /** Writes {@code latest.json} naming the checkpoint folder {@code folder} at {@code position}. */
        void pointTo(long position, String folder, List<Integer> resumedFrom, List<Integer> attempts) {
            store.putText(remote + "latest.json", Json.write(Map.of(unit, position, "folder", folder, "cacheKey", ck,
                    "execution", execution, "resumedFrom", resumedFrom, "attempts",
                    attempts.subList(0, (int) Math.min(position, attempts.size())))), "application/json");
        }

        /**
         * Restores the checkpoint named by the pointer into {@code local}; null when there is none for {@code ck}
         * (with {@code ownOnly}: none that this execution wrote).
         */
        @SuppressWarnings("unchecked")
        Restored restore(Path local, boolean ownOnly) throws IOException {
            String pointer = remote + "latest.json";
            if (!store.exists(pointer)) {
                return null;
            }
            Map<?, ?> p = Json.read(store.getText(pointer), Map.class);
            if (!ck.equals(p.get("cacheKey")) || (ownOnly && !execution.equals(p.get("execution")))) {
                return null;
            }
            String base = (String) p.get("folder");
            long position = ((Number) p.get(unit)).longValue();
            String name = String.format("step-restored-%03d", position);
            Path d = local.resolve(name);
            Files.createDirectories(d);
            for (ArtifactStore.Entry e : store.list(base)) {
                String file = e.key().substring(base.length());
                Path target = file.equals("best.safetensors") ? local.resolve(file) : d.resolve(file);
                store.download(e.key(), target,
                        "check that the worker's temporary folder (java.io.tmpdir) is writable");
            }
            Files.writeString(local.resolve("latest"), name);
            Object resumed = p.get("resumedFrom");
            Object attempts = p.get("attempts");
            return new Restored(position, base, resumed instanceof List<?> l ? (List<Integer>) l : List.of(),
                    attempts instanceof List<?> a ? (List<Integer>) a : List.of());
        }
    }

    /**
     * A checkpoint restored from the store: its position (epoch or step), its key, the positions earlier attempts
     * resumed from and the attempt that computed each of its epochs.
     */
    private record Restored(long position, String folder, List<Integer> resumedFrom, List<Integer> attempts) {}

    /**
     * The analysis stage. Source features of the labelled source set (fit) and the held-out probe set (eval) through
     * the source embedder: the probe of the pretrained encoder is also the source classifier of the modality
     * discrepancy; each kept epoch's weights give one point of the probe curve; the first {@code tsne.points} probe
     * samples are mapped by t-SNE for the pretrained and the fine-tuned encoder. The discrepancy is measured on the
     * target's validation split (held out from training) for classification targets.
     */
    static ProbeResult probe(ArtifactStore store, StageCache cache, String ck, String impl, ProbeRequest r,
                             RunConfig c) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        TaskSpec spec = TaskStage.spec(r.task());
        Path dir = scratch();
        try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
            TransferModel model = CoreModels.model(spec, r.source(), c);
            Artifacts.Source source = Artifacts.source(store, r.source());
            // fit on the labelled source set, score on the held-out probe set (disjoint source samples)
            DataSplit fit = source.sourceSet();
            DataSplit eval = source.probeSet();
            int classes = source.classes();
            int[] yFit = LinearProbe.labels(fit.y());
            int[] yEval = LinearProbe.labels(eval.y());
            Params enc = CoreModels.encoderParams(model, source.weightsFile(dir), m);
            Params before = CoreModels.initial(model, enc, false, false, m, 0);
            Params after = CoreModels.allParams(model, Artifacts.download(store, r.fineTuned().checkpointKey(),
                    r.fineTuned().digest(), dir.resolve("final.safetensors")), m);
            // every input is read before the computing starts: a failed read (retried by Temporal) wastes none
            Map<Integer, Path> weights = new LinkedHashMap<>();
            for (EpochWeights w : r.fineTuned().probeWeights()) {
                weights.put(w.epoch(), Artifacts.download(store, w.key(), w.digest(),
                        dir.resolve(String.format("epoch-%03d.safetensors", w.epoch()))));
            }
            boolean discrepancyDefined = spec.kind() == TaskKind.CLASSIFICATION && spec.classes() <= classes;
            DataSplit target = discrepancyDefined ? Artifacts.task(store, r.dataset()).validation() : null;
            Path alignedFile = discrepancyDefined && r.aligned() != null && r.aligned().embedderKey() != null
                    ? Artifacts.download(store, r.aligned().embedderKey(), r.aligned().digest(),
                    dir.resolve("aligned.safetensors")) : null;
            LinearProbe.Config config = c.probe();
            try (var precision = Precision.scope(c.precision(), m.getDevice())) {
                return announced(ctx, "probe", () -> {
                    int chunk = LinearProbe.FEATURE_CHUNK;
                    double[][] evalBefore = LinearProbe.sourceFeatures(model, before, eval.x(), chunk);
                    double[][] evalAfter = LinearProbe.sourceFeatures(model, after, eval.x(), chunk);
                    LinearProbe.Probe pretrained = LinearProbe.fit(
                            LinearProbe.sourceFeatures(model, before, fit.x(), chunk), yFit, classes, config);
                    // core reports a share; results report percent, like the task metric ERROR_RATE
                    double errBefore = 100 * pretrained.errorRate(evalBefore, yEval);
                    double errAfter = 100 * LinearProbe.fit(LinearProbe.sourceFeatures(model, after, fit.x(), chunk), yFit,
                            classes, config).errorRate(evalAfter, yEval);
                    List<EpochError> curve = new ArrayList<>();
                    for (Map.Entry<Integer, Path> w : weights.entrySet()) {
                        try (NDManager sub = m.newSubManager()) {
                            Params at = CoreModels.allParams(model, w.getValue(), sub);
                            curve.add(new EpochError(w.getKey(), 100 * LinearProbe.errorRate(model, at, fit, eval,
                                    classes, config)));
                        }
                    }
                    Map<String, String> keys = new LinkedHashMap<>();
                    keys.putAll(tsne(store, r, c, evalBefore, evalAfter, yEval, dir));
                    Double[] discrepancy = {null, null};
                    if (discrepancyDefined) {
                        int[] yTarget = LinearProbe.labels(target.y());
                        // the model stage 1 starts from: warm-started from the pretrained embeddings when a stage 1 ran
                        Params start = CoreModels.initial(model, enc, r.method() == TransferMethod.SCRATCH,
                                alignedFile != null, m, r.seed());
                        Map<String, Object> record = new LinkedHashMap<>();
                        ModalityDiscrepancy.Estimate b = ModalityDiscrepancy.measure(model, start, pretrained,
                                target.x(), yTarget, spec.classes());
                        discrepancy[0] = b.discrepancy();
                        record.put("before", b);
                        if (alignedFile != null) {
                            Params aligned = CoreModels.allParams(model, alignedFile, m);
                            ModalityDiscrepancy.Estimate a = ModalityDiscrepancy.measure(model, aligned, pretrained,
                                    target.x(), yTarget, spec.classes());
                            discrepancy[1] = a.discrepancy();
                            record.put("after", a);
                        }
                        record.put("samples", yTarget.length);
                        String k = ArtifactKeys.analysis(r.runId()) + "discrepancy.json";
                        store.putText(k, Json.write(record), "application/json");
                        keys.put("discrepancy", k);
                    }
                    String key = ArtifactKeys.probe(r.runId());
                    ProbeResult res = new ProbeResult(errBefore, errAfter, key, impl, false, curve, discrepancy[0],
                            discrepancy[1], keys);
                    store.putText(key, Json.write(res), "application/json");
                    cache.record("probe", ck, res);
                    return res;
                });
            }
        } finally {
            delete(dir);
        }
    }

    /**
     * t-SNE maps of the first {@code tsne.points} held-out source samples' features, pretrained and fine-tuned, as
     * JSON ({@code labels}, {@code maps}) and as panels; returns their keys ({@code tsne}, {@code tsnePanels}).
     */
    private static Map<String, String> tsne(ArtifactStore store, ProbeRequest r, RunConfig c, double[][] before,
                                            double[][] after, int[] labels, Path dir) {
        int n = c.integer("tsne.points");
        Tsne.Config config = c.tsne(r.seed());
        AnalysisFigures.Maps maps = new AnalysisFigures.Maps(Arrays.copyOf(labels, n),
                Tsne.embed(Arrays.copyOf(before, n), config), Tsne.embed(Arrays.copyOf(after, n), config));
        String base = ArtifactKeys.analysis(r.runId());
        store.putText(base + "tsne.json", Json.write(maps), "application/json");
        Map<String, double[][]> panels = new LinkedHashMap<>();
        panels.put("pretrained", maps.pretrained());
        panels.put("fine-tuned (" + r.method().label() + ")", maps.fineTuned());
        Path png = dir.resolve("tsne.png");
        TsnePanels.writeMaps(panels, maps.labels(), png);
        try {
            store.put(base + "tsne.png", Files.readAllBytes(png), "image/png");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("tsne", base + "tsne.json", "tsnePanels", base + "tsne.png");
    }

    static ExportResult export(ArtifactStore store, StageCache cache, ExportRequest r) {
        TaskSpec spec = TaskStage.spec(r.dataset().task());
        RunConfig config = RunConfigs.forStage(r.dataset().task(), r.method(), r.source().name(), r.overrides());
        // the metadata names the run and its configuration: both are part of what the stage computes
        String ck = StageCache.key("export", ExportStage.IMPLEMENTATION, Map.of("model", r.fineTuned().digest(),
                "dataset", r.dataset().digest(), "run", r.runId(), "seed", Long.toString(r.seed())),
                config.values());
        var hit = cache.lookup("export", ck, r.noCache(), ExportResult.class);
        if (hit.isPresent()) {
            return hit.get();
        }
        Path dir = scratch();
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            TransferModel model = CoreModels.model(spec, r.source(), config);
            Params params = CoreModels.allParams(model, Artifacts.download(store, r.fineTuned().checkpointKey(),
                    r.fineTuned().digest(), dir.resolve("final.safetensors")), m);
            HostTensor held = Artifacts.task(store, r.dataset()).validation().x();
            held = held.slice(0, Math.min(4, held.rows()));
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("run_id", r.runId());
            provenance.put("task", r.dataset().task());
            provenance.put("seed", Long.toString(r.seed()));
            provenance.put("code_version", CodeVersion.current());
            provenance.put("git_commit", CodeVersion.gitCommit());
            provenance.put("dataset_sha256", r.dataset().digest());
            provenance.put("source_sha256", r.source().digest());
            provenance.put("config", Json.compact(config.values()));
            // how the fine-tune's float32 products were computed (kernels round differently), as its record says:
            // the export may run on another worker than the fine-tune
            Map<?, ?> hw = Provenance.trainingHardware(store, r.runId());
            if (hw != null) {
                Map.of("matmul", "training_matmul", "mklDispatch", "training_mkl_dispatch").forEach((k, key) -> {
                    if (hw.get(k) != null) {
                        provenance.put(key, String.valueOf(hw.get(k)));
                    }
                });
            }
            var checked = OnnxExporter.exportChecked(model, params, spec.inputShape(),
                    ExportMetadata.of(spec, r.method().label(), provenance), held, ExportStage.TOLERANCE, false);
            String key = ArtifactKeys.onnx(r.runId());
            store.put(key, checked.model().bytes(), "application/octet-stream");
            ExportResult res = new ExportResult(key, checked.parity().maxAbsDiff(), ExportStage.IMPLEMENTATION, false);
            cache.record("export", ck, res);
            return res;
        } finally {
            delete(dir);
        }
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("mona-stage-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory: " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // scratch space; the OS cleans it eventually
        }
    }
}
