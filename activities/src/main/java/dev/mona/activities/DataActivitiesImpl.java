package dev.mona.activities;

import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.CheckpointRetention;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.TaskData;
import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunConfig;
import dev.mona.core.fetch.Digests;
import dev.mona.core.task.LoadedTask;
import dev.mona.workflows.stage.DataActivities;
import dev.mona.workflows.stage.DatasetRef;
import dev.mona.workflows.stage.ExportRequest;
import dev.mona.workflows.stage.ExportResult;
import dev.mona.workflows.stage.FetchRequest;
import dev.mona.workflows.stage.ManifestRequest;
import dev.mona.workflows.stage.ManifestResult;
import dev.mona.workflows.stage.SourceRef;
import dev.mona.workflows.stage.SourceRequest;
import dev.mona.workflows.stage.SweepTableRequest;
import dev.mona.workflows.stage.SweepTableResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CPU stages: data, source encoder, export, manifests and sweep tables. */
public class DataActivitiesImpl implements DataActivities {
    private static final Logger LOG = LoggerFactory.getLogger(DataActivitiesImpl.class);
    private final ArtifactStore store;
    private final StageCache cache;

    public DataActivitiesImpl(ArtifactStore store) {
        this.store = store;
        this.cache = new StageCache(store);
    }

    @Override
    public DatasetRef fetchData(FetchRequest r) {
        return Failures.guard(() -> {
            TaskStage.ensure(store, r.task());
            TaskStage.TaskListing t = TaskStage.describe(r.task());
            RunConfig c = RunConfigs.forStage(r.task(), null, null, r.overrides());
            String ck = StageCache.key("fetch", TaskStage.IMPLEMENTATION,
                    Map.of("task", r.task(), "seed", Long.toString(r.seed())), c.subset("limit"));
            var hit = cache.lookup("fetch", ck, r.noCache(), DatasetRef.class);
            if (hit.isPresent()) {
                return hit.get();
            }
            TaskStage.fetchFromStore(store, r.task());
            LoadedTask loaded = TaskStage.load(r.task(), c.integer("limit"), r.seed());
            TaskData data = loaded.data();
            byte[] bytes = Artifacts.encodeTask(r.task(), loaded);
            String digest = Digests.sha256(bytes);
            String key = ArtifactKeys.dataset(r.task(), digest.substring(0, 16));
            store.put(key, bytes, "application/octet-stream");
            DatasetRef ref = new DatasetRef(r.task(), key, digest, t.modality(), t.classes(), t.metric(),
                    t.inputShape(), data.train().size(), false);
            cache.record("fetch", ck, ref);
            LOG.info("{}: stored {} ({} bytes)", r.runId(), key, bytes.length);
            return ref;
        });
    }

    @Override
    public SourceRef prepareSource(SourceRequest r) {
        return Failures.guard(() -> {
            TaskStage.ensure(store, r.dataset().task());
            String encoder = SourceStage.resolve(r.source(), r.dataset().task());
            LOG.info("{}: source {} ({})", r.runId(), encoder, r.source().isBlank()
                    ? "the task's offline source: the request names none" : "named by the request");
            RunConfig c = RunConfigs.forStage(r.dataset().task(), null, encoder, r.overrides());
            String ck = StageCache.key("source", SourceStage.IMPLEMENTATION, Map.of("encoder", encoder),
                    RunConfigs.prefixed(c, "source."));
            var hit = cache.lookup("source", ck, r.noCache(), SourceRef.class);
            if (hit.isPresent()) {
                return hit.get();
            }
            return CoreStages.prepareSource(store, cache, ck, encoder, c);
        });
    }

    @Override
    public ExportResult exportModel(ExportRequest r) {
        return Failures.guard(() -> {
            TaskStage.ensure(store, r.dataset().task());
            return CoreStages.export(store, cache, r);
        });
    }

    @Override
    public ManifestResult writeManifest(ManifestRequest r) {
        return Failures.guard(() -> {
            TaskStage.ensure(store, r.request().task());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", r.runId());
            m.put("request", r.request());
            // the manifest records only digests that the stored bytes match now
            Artifacts.verifyAll(store, r.dataset(), r.source(), r.aligned(), r.fineTuned());
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("dataset", Map.of("key", r.dataset().key(), "sha256", r.dataset().digest()));
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("name", r.source().name());
            // the source was decided at submission (requested, or by the default rule of README's "Source encoders")
            source.put("chosen", r.request().source().isBlank() ? "the task's offline source, carried by the "
                    + "request as the empty name" : "named by the request");
            source.put("weights", r.source().weightsKey());
            source.put("sourceSet", r.source().sourceSetKey());
            source.put("sha256", r.source().digest());
            // published sources: repository, revision, the SHA-256 of every file read, the source set
            source.put("provenance", new java.util.TreeMap<>(r.source().provenance()));
            inputs.put("source", source);
            if (r.aligned() != null) {
                inputs.put("alignedEmbedder", Map.of("key", r.aligned().embedderKey(), "sha256",
                        r.aligned().digest()));
            }
            m.put("inputs", inputs);
            RunConfig config = RunConfigs.forStage(r.request().task(), r.request().method(), r.source().name(),
                    r.request().overrides());
            m.put("resolvedConfig", config.values());
            if (r.aligned() != null) {
                // the budget rule and what it came to for this method (Emb rounds to whole epochs)
                m.put("stage1", Map.of("method", r.request().method().label(), "budget",
                        config.value(ConfigKeys.STAGE1_BUDGET), "updates", r.aligned().steps()));
            }
            m.put("seed", r.request().seed());
            m.put("code", Map.of("version", CodeVersion.current(), "gitCommit", CodeVersion.gitCommit()));
            m.put("libraries", Provenance.libraries());
            Map<String, Object> hw = new LinkedHashMap<>();
            hw.put("orchestrator", Provenance.hardware());
            Map<?, ?> training = Provenance.trainingHardware(store, r.runId());
            if (training != null) {
                hw.put("training", training);
            }
            m.put("hardware", hw);
            m.put("times", Map.of("startedAt", Instant.ofEpochMilli(r.startedAtMillis()).toString(),
                    "finishedAt", Instant.ofEpochMilli(r.finishedAtMillis()).toString(),
                    "seconds", (r.finishedAtMillis() - r.startedAtMillis()) / 1000.0));
            Map<String, Object> stages = new LinkedHashMap<>();
            stages.put("fetch", TaskStage.IMPLEMENTATION);
            stages.put("source", SourceStage.IMPLEMENTATION);
            if (r.aligned() != null) {
                stages.put("align", r.aligned().aligner());
            }
            stages.put("finetune", r.fineTuned().trainer());
            stages.put("probe", r.probe().prober());
            stages.put("export", r.export().exporter());
            m.put("implementations", stages);
            m.put("results", Map.of("fineTune", r.fineTuned(), "probe", r.probe(), "export", r.export()));
            String key = ArtifactKeys.manifest(r.runId());
            store.putText(key, Json.write(m), "application/json");
            // the run has its results: checkpoints beyond the retention rule only took space
            for (ArtifactStore.Entry e : CheckpointRetention.surplus(store, r.runId(), CheckpointRetention.DEFAULT_KEEP)) {
                store.delete(e.key());
            }
            return new ManifestResult(key);
        });
    }

    @Override
    public SweepTableResult writeSweepTable(SweepTableRequest r) {
        return Failures.guard(() -> {
            String base = ArtifactKeys.sweep(r.sweepId());
            store.putText(base + "results.csv", ResultTables.csv(r.rows()), "text/csv");
            store.putText(ArtifactKeys.sweepResults(r.sweepId()), Json.write(r.rows()), "application/json");
            store.putText(base + "results.md", ResultTables.markdown(r.rows()), "text/markdown");
            List<String> plots = new java.util.ArrayList<>();
            Map<String, RunRecord> runs = RunRecord.load(store, r.rows());
            Map<String, byte[]> figures = SweepReport.figures(store, r.rows(), runs);
            for (Map.Entry<String, byte[]> e : figures.entrySet()) {
                String key = ArtifactKeys.sweepPlots(r.sweepId()) + e.getKey();
                store.put(key, e.getValue(), "image/png");
                plots.add(key);
            }
            store.putText(ArtifactKeys.sweepReport(r.sweepId()), SweepReport.build(store, r.sweepId(), r.rows(), runs,
                    figures), "text/html");
            return new SweepTableResult(base + "results.csv", ArtifactKeys.sweepResults(r.sweepId()), base + "results.md",
                    plots);
        });
    }
}
