package dev.mona.activities;

import ai.djl.ndarray.NDManager;
import dev.mona.core.analysis.LinearProbe;
import dev.mona.activities.stage.CoreModels;
import dev.mona.activities.stage.ExportStage;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.engine.Engines;
import dev.mona.core.export.ExportMetadata;
import dev.mona.core.export.OnnxExporter;
import dev.mona.core.fetch.Digests;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.method.Method;
import dev.mona.core.method.MethodContext;
import dev.mona.core.method.Stage1Options;
import dev.mona.core.metric.Losses;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.task.LoadedTask;
import dev.mona.core.task.TaskKind;
import dev.mona.core.task.TaskSpec;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The stages of catalogue tasks over core: sources from {@code dev.mona.core.pretrained}, stage 1 from
 * {@code dev.mona.core.method} (its checkpoints mirrored to the store every {@link #ALIGN_CHECKPOINT_EVERY} steps),
 * stage 2 from core's {@link Trainer} (its checkpoints mirrored after every epoch), both restored before a retried
 * attempt; the ONNX export from {@code dev.mona.core.export}.
 */
final class CoreStages {
    private static final Logger LOG = LoggerFactory.getLogger(CoreStages.class);

    /**
     * Stage-1 optimiser steps between two checkpoints mirrored to the store (MoNA meta-steps, ORCA embedder epochs,
     * Emb steps besides its epoch ends): at most this many steps are recomputed after a lost worker.
     */
    static final int ALIGN_CHECKPOINT_EVERY = 10;

    private CoreStages() {}

    static SourceRef prepareSource(ArtifactStore store, StageCache cache, String ck, String encoder, Settings s) {
        Path dir = scratch();
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            SourceStage.Prepared p = SourceStage.prepareCore(encoder, s, m, dir.resolve("weights.safetensors"));
            byte[] w = Files.readAllBytes(p.weights());
            Map<String, HostTensor> sets = new LinkedHashMap<>();
            sets.put("x", p.sourceSet().x());
            sets.put("y", p.sourceSet().y());
            sets.put("probe.x", p.probeSet().x());
            sets.put("probe.y", p.probeSet().y());
            byte[] src = new TensorFile(Map.of("encoder", encoder, "classes", Integer.toString(p.classes())), sets)
                    .encode();
            return Artifacts.storeSource(store, cache, ck, encoder, w, src, ArtifactKeys::sourceWeightsSafetensors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /** Sends a liveness heartbeat every few seconds while {@code body} runs (the probe has no step hook). */
    private static <T> T withHeartbeats(ActivityExecutionContext ctx, String stage, Supplier<T> body) {
        ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + stage);
            t.setDaemon(true);
            return t;
        });
        pump.scheduleAtFixedRate(() -> ctx.heartbeat(new StageHeartbeat(stage, 0, 0, 0, 0, 0, null,
                ctx.getInfo().getAttempt())), 0, 2, TimeUnit.SECONDS);
        try {
            return body.get();
        } finally {
            pump.shutdownNow();
        }
    }

    static AlignResult align(ArtifactStore store, StageCache cache, String ck, String impl, AlignRequest r,
                             Settings s) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = ctx.getInfo().getAttempt();
        TaskSpec spec = TaskStage.spec(r.dataset().task());
        Path dir = scratch();
        Path local = dir.resolve("align-checkpoints");
        CheckpointMirror mirror = new CheckpointMirror(store, ArtifactKeys.alignCheckpoints(r.runId()), "step", ck);
        try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
            List<Integer> resumedFrom = new ArrayList<>();
            String[] lastKey = {null};
            // --no-cache restarts from scratch on the first attempt only; a retry always resumes
            if (!(r.noCache() && attempt == 1)) {
                Restored restored = mirror.restore(local);
                if (restored != null) {
                    resumedFrom.addAll(restored.resumedFrom());
                    resumedFrom.add(Math.toIntExact(restored.position()));
                    lastKey[0] = restored.folder();
                    LOG.info("{}: attempt {} resumes stage 1 after step {}", r.runId(), attempt,
                            restored.position());
                }
            }
            ctx.heartbeat(new StageHeartbeat("align", 0, 0, resumedFrom.isEmpty() ? 0
                    : resumedFrom.get(resumedFrom.size() - 1), 0, 0, lastKey[0], attempt));
            List<Integer> resumedFinal = List.copyOf(resumedFrom);
            TrainingListener listener = new TrainingListener() {
                private Progress last = new Progress(0, 0, 0, 0, 0, 0, 0);

                @Override
                public void onStep(Progress p) {
                    last = p;
                    ctx.heartbeat(new StageHeartbeat("align", 0, 0, p.step(), p.totalSteps(), p.loss(), lastKey[0],
                            attempt));
                }

                @Override
                public void onCheckpoint(Path checkpoint, long step) {
                    lastKey[0] = mirror.upload(local, checkpoint, step, resumedFinal);
                    ctx.heartbeat(new StageHeartbeat("align", 0, 0, step, last.totalSteps(), last.loss(), lastKey[0],
                            attempt));
                }
            };
            TransferModel model = CoreModels.model(spec, r.source().name());
            Params enc = CoreModels.encoderParams(model, download(store, r.source().weightsKey(), dir), m);
            Params params = CoreModels.initial(model, enc, false, m, r.seed());
            MethodContext mc = context(store, spec, model, m, params, r.dataset().key(), r.source(), s,
                    TrainerOptions.seeded(r.seed())).withStage1(Stage1Options.none()
                    .withCheckpoints(local, ALIGN_CHECKPOINT_EVERY).withListener(listener));
            Method method = CoreModels.method(r.method(), mc.stage2(), s, r.seed(), mc.source());
            List<Double> losses = method.prepare(mc);
            Path out = dir.resolve("aligned.safetensors");
            ParamsIO.save(out, params, Map.of("mona.method", r.method().label()));
            byte[] bytes = Files.readAllBytes(out);
            String key = ArtifactKeys.run(r.runId()) + "embedder/state.safetensors";
            store.put(key, bytes, "application/octet-stream");
            AlignResult res = new AlignResult(key, Digests.sha256(bytes), impl, losses.size(),
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
                                         Params params, String dataKey, SourceRef source, Settings s,
                                         TrainerOptions options) {
        LoadedTask data = Artifacts.loadedTask(store, dataKey);
        DataSplit src = Artifacts.split(store, source.sourceSetKey());
        TrainConfig stage2 = CoreModels.stage2(spec, s);
        return new MethodContext(model, m, params, data.data(), spec.kind() == TaskKind.CLASSIFICATION, src,
                data.trainingLoss(Losses.of(spec.loss(), spec.lossOptions())), spec.metric(),
                stage2, options, data.validationScorer(spec.metric()), data.testScorer(spec.metric()));
    }

    static FineTuneResult fineTune(ArtifactStore store, StageCache cache, String ck, String impl, FineTuneRequest r,
                                   Settings s) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = ctx.getInfo().getAttempt();
        TaskSpec spec = TaskStage.spec(r.dataset().task());
        Path dir = scratch();
        Path local = dir.resolve("checkpoints");
        CheckpointMirror mirror = new CheckpointMirror(store, ArtifactKeys.checkpoints(r.runId()), "epoch", ck);
        try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
            TransferModel model = CoreModels.model(spec, r.source().name());
            Params params;
            if (r.aligned() != null && r.aligned().embedderKey() != null) {
                params = CoreModels.allParams(model, download(store, r.aligned().embedderKey(), dir), m);
            } else {
                Params enc = CoreModels.encoderParams(model, download(store, r.source().weightsKey(), dir), m);
                params = CoreModels.initial(model, enc, r.method() == TransferMethod.SCRATCH, m, r.seed());
            }
            List<Integer> resumedFrom = new ArrayList<>();
            // --no-cache restarts from scratch on the first attempt only; a retry always resumes
            if (!(r.noCache() && attempt == 1)) {
                Restored restored = mirror.restore(local);
                if (restored != null) {
                    resumedFrom.addAll(restored.resumedFrom());
                    resumedFrom.add(Math.toIntExact(restored.position()) + 1);
                    LOG.info("{}: attempt {} resumes fine-tuning after epoch {}", r.runId(), attempt,
                            restored.position());
                }
            }
            if (resumedFrom.isEmpty() && attempt > 1) {
                resumedFrom.add(1);
            }
            TrainConfig stage2 = CoreModels.stage2(spec, s);
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
                    lastKey[0] = mirror.upload(local, checkpoint, state.epoch(), resumedFinal);
                    store.putText(ArtifactKeys.summary(r.runId()), summaryCsv(state.history()), "text/csv");
                    ctx.heartbeat(new StageHeartbeat("finetune", state.epoch(), stage2.epochs(), state.step(), 0, 0,
                            lastKey[0], attempt));
                }
            };
            MethodContext mc = context(store, spec, model, m, params, r.dataset().key(), r.source(), s,
                    TrainerOptions.seeded(r.seed()).withCheckpoints(local, 0).withListener(listener));
            Trainer trainer = new Trainer(model, mc.loss(), mc.metric(), mc.validationScorer(), stage2, mc.options());
            TrainResult result = trainer.fit(m, params, mc.target());
            double test = mc.target().test().size() == 0 ? Double.NaN
                    : trainer.evaluate(m, params, mc.target().test(), mc.testScorer());
            Path finalFile = dir.resolve("final.safetensors");
            ParamsIO.save(finalFile, params, Map.of("mona.best_epoch", Integer.toString(result.bestEpoch())));
            byte[] bytes = Files.readAllBytes(finalFile);
            String key = ArtifactKeys.run(r.runId()) + "model/final.safetensors";
            store.put(key, bytes, "application/octet-stream");
            store.putText(ArtifactKeys.summary(r.runId()), summaryCsv(result.history()), "text/csv");
            FineTuneResult res = new FineTuneResult(key, Digests.sha256(bytes), ArtifactKeys.summary(r.runId()),
                    stage2.epochs(), spec.metric().name(), result.bestValMetric(), test, resumedFinal, impl, false);
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

    private static String summaryCsv(List<EpochSummary> history) {
        StringBuilder b = new StringBuilder(EpochSummary.CSV_HEADER).append('\n');
        for (EpochSummary e : history) {
            b.append(String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6g,%.3f%n", e.epoch() + 1, e.trainLoss(),
                    e.valMetric(), e.lr(), e.seconds()));
        }
        return b.toString();
    }

    /**
     * A stage's checkpoints in the store, under {@code remote}: each local checkpoint folder is mirrored to
     * {@code remote + UNIT-NNN/} (with the run's {@code best.safetensors} when there is one), then the pointer
     * {@code remote + latest.json} moves to it. The pointer names the position in the stage's {@code unit}
     * ({@code epoch} for fine-tuning, {@code step} for stage 1), the stage cache key the checkpoint belongs to, and
     * the positions earlier attempts resumed from.
     */
    private record CheckpointMirror(ArtifactStore store, String remote, String unit, String ck) {
        /** Mirrors {@code checkpoint} (a folder of the local checkpoint directory {@code local}); returns its key. */
        String upload(Path local, Path checkpoint, long position, List<Integer> resumedFrom) {
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
            store.putText(remote + "latest.json", Json.write(Map.of(unit, position, "folder", base,
                    "cacheKey", ck, "resumedFrom", resumedFrom)), "application/json");
            return base;
        }

        /** Restores the checkpoint named by the pointer into {@code local}; null when there is none for {@code ck}. */
        @SuppressWarnings("unchecked")
        Restored restore(Path local) throws IOException {
            String pointer = remote + "latest.json";
            if (!store.exists(pointer)) {
                return null;
            }
            Map<?, ?> p = Json.read(store.getText(pointer), Map.class);
            if (!ck.equals(p.get("cacheKey"))) {
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
                store.download(e.key(), target);
            }
            Files.writeString(local.resolve("latest"), name);
            Object resumed = p.get("resumedFrom");
            return new Restored(position, base, resumed instanceof List<?> l ? (List<Integer>) l : List.of());
        }
    }

    /**
     * A checkpoint restored from the store: its position (epoch or step), its key, and the positions earlier
     * attempts resumed from.
     */
    private record Restored(long position, String folder, List<Integer> resumedFrom) {}

    static ProbeResult probe(ArtifactStore store, StageCache cache, String ck, String impl, ProbeRequest r) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        TaskSpec spec = TaskStage.spec(r.task());
        Path dir = scratch();
        try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
            TransferModel model = CoreModels.model(spec, r.source().name());
            TensorFile sets = TensorFile.decode(store.get(r.source().sourceSetKey()));
            // fit on the labelled source set, score on the held-out probe set (disjoint source samples)
            DataSplit fit = new DataSplit(sets.tensors().get("x"), sets.tensors().get("y"));
            DataSplit eval = new DataSplit(sets.tensors().get("probe.x"), sets.tensors().get("probe.y"));
            int classes = Integer.parseInt(sets.meta().getOrDefault("classes", "10"));
            Params enc = CoreModels.encoderParams(model, download(store, r.source().weightsKey(), dir), m);
            Params before = CoreModels.initial(model, enc, false, m, 0);
            Params after = CoreModels.allParams(model, download(store, r.fineTuned().checkpointKey(), dir), m);
            LinearProbe.Config config = LinearProbe.Config.defaults();
            // core reports a share; results report percent, like the task metric ERROR_RATE
            double[] err = withHeartbeats(ctx, "probe", () -> new double[]{
                    100 * LinearProbe.errorRate(model, before, fit, eval, classes, config),
                    100 * LinearProbe.errorRate(model, after, fit, eval, classes, config)});
            String key = ArtifactKeys.probe(r.runId());
            ProbeResult res = new ProbeResult(err[0], err[1], key, impl, false);
            store.putText(key, Json.write(res), "application/json");
            cache.record("probe", ck, res);
            return res;
        } finally {
            delete(dir);
        }
    }

    static ExportResult export(ArtifactStore store, StageCache cache, ExportRequest r) {
        TaskSpec spec = TaskStage.spec(r.dataset().task());
        String ck = StageCache.key("export", ExportStage.IMPLEMENTATION, Map.of("model", r.fineTuned().digest(),
                "dataset", r.dataset().digest()), Map.of());
        var hit = cache.lookup("export", ck, r.noCache(), ExportResult.class);
        if (hit.isPresent()) {
            return hit.get();
        }
        Path dir = scratch();
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            TransferModel model = CoreModels.model(spec, r.source().name());
            Params params = CoreModels.allParams(model, download(store, r.fineTuned().checkpointKey(), dir), m);
            HostTensor held = Artifacts.task(store, r.dataset().key()).validation().x();
            held = held.slice(0, Math.min(4, held.rows()));
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("run_id", r.runId());
            provenance.put("code_version", CodeVersion.current());
            provenance.put("dataset_sha256", r.dataset().digest());
            provenance.put("source_sha256", r.source().digest());
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

    private static Path download(ArtifactStore store, String key, Path dir) {
        Path p = dir.resolve(key.replace('/', '_'));
        if (!Files.exists(p)) {
            store.download(key, p);
        }
        return p;
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
