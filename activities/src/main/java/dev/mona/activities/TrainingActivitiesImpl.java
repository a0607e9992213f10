package dev.mona.activities;

import dev.mona.activities.stage.AlignStage;
import dev.mona.activities.stage.FineTuneStage;
import dev.mona.activities.stage.ProbeStage;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.fetch.Digests;
import dev.mona.workflows.stage.AlignRequest;
import dev.mona.workflows.stage.AlignResult;
import dev.mona.workflows.stage.FineTuneRequest;
import dev.mona.workflows.stage.FineTuneResult;
import dev.mona.workflows.stage.ProbeRequest;
import dev.mona.workflows.stage.ProbeResult;
import dev.mona.workflows.stage.StageHeartbeat;
import dev.mona.workflows.stage.TrainingActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GPU stages. Long loops heartbeat {@link StageHeartbeat}s; fine-tuning writes a checkpoint after every epoch
 * and a retried attempt resumes from the newest checkpoint written for the same inputs.
 */
public class TrainingActivitiesImpl implements TrainingActivities {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
    private final ArtifactStore store;
    private final StageCache cache;

    public TrainingActivitiesImpl(ArtifactStore store) {
        this.store = store;
        this.cache = new StageCache(store);
    }

    @Override
    public AlignResult alignEmbedder(AlignRequest r) {
        return Failures.guard(() -> {
            Settings s = Settings.resolve(r.overrides());
            boolean core = !TaskStage.interim(r.dataset().task());
            String impl = core ? "core:" + r.method().label() : AlignStage.implementation(r.method());
            String ck = StageCache.key("align", impl, Map.of("dataset", r.dataset().digest(), "source",
                    r.source().digest(), "method", r.method().name(), "seed", Long.toString(r.seed())),
                    s.subset(core ? new String[]{"align.epochs", "align.steps", "epochs", "batch", "lr"}
                            : AlignStage.configKeys()));
            var hit = cache.lookup("align", ck, r.noCache(), AlignResult.class);
            if (hit.isPresent()) {
                return hit.get();
            }
            if (core) {
                return CoreStages.align(store, cache, ck, impl, r, s);
            }
            ActivityExecutionContext ctx = Activity.getExecutionContext();
            TaskData data = Artifacts.task(store, r.dataset());
            Map<String, HostTensor> source = Artifacts.source(store, r.source()).weightsState();
            double[] last = {0};
            long[] steps = {0};
            Map<String, HostTensor> state = AlignStage.align(r.method(), data, r.dataset().classes(), source, s,
                    r.seed(), (epoch, epochs, step, total, loss) -> {
                        last[0] = loss;
                        steps[0] = step;
                        ctx.heartbeat(new StageHeartbeat("align", epoch, epochs, step, total, loss, null,
                                ctx.getInfo().getAttempt()));
                    });
            byte[] bytes = new TensorFile(Map.of("method", r.method().name()), state).encode();
            String key = ArtifactKeys.embedder(r.runId());
            store.put(key, bytes, "application/octet-stream");
            AlignResult res = new AlignResult(key, Digests.sha256(bytes), impl, steps[0], last[0], false);
            cache.record("align", ck, res);
            return res;
        });
    }

    @Override
    public FineTuneResult fineTune(FineTuneRequest r) {
        return Failures.guard(() -> fineTuneGuarded(r));
    }

    private FineTuneResult fineTuneGuarded(FineTuneRequest r) {
        Settings s = Settings.resolve(r.overrides());
        Map<String, String> inputs = new TreeMap<>(Map.of("dataset", r.dataset().digest(), "source",
                r.source().digest(), "method", r.method().name(), "seed", Long.toString(r.seed()),
                "aligned", r.aligned() == null ? "none" : r.aligned().digest()));
        boolean core = !TaskStage.interim(r.dataset().task());
        String impl = core ? FineTuneStage.CORE_IMPLEMENTATION : FineTuneStage.IMPLEMENTATION;
        inputs.put("encoder", r.source().name());
        String ck = StageCache.key("finetune", impl, inputs, s.subset(FineTuneStage.configKeys()));
        // (catalogue tasks: epochs, lr and batch override the task's TrainConfig; the key covers them too)
        var hit = cache.lookup("finetune", ck, r.noCache(), FineTuneResult.class);
        if (hit.isPresent()) {
            return hit.get();
        }
        if (core) {
            return CoreStages.fineTune(store, cache, ck, impl, r, s);
        }
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = ctx.getInfo().getAttempt();
        int epochs = s.integer("epochs");
        TaskData data = Artifacts.task(store, r.dataset());
        Map<String, HostTensor> source = Artifacts.source(store, r.source()).weightsState();
        Map<String, HostTensor> aligned = r.aligned() == null || r.aligned().embedderKey() == null ? null
                : Artifacts.state(store, r.aligned().embedderKey(), r.aligned().digest());

        Map<String, HostTensor> params;
        int start = 1;
        List<Integer> resumedFrom = new ArrayList<>();
        StringBuilder summary = new StringBuilder("epoch,train_loss,val_metric,seconds,attempt\n");
        // --no-cache restarts from scratch on the first attempt only; a retry always resumes
        TensorFile resume = r.noCache() && attempt == 1 ? null : newestCheckpoint(r.runId(), ck);
        if (resume != null) {
            params = new LinkedHashMap<>(resume.tensors());
            start = Integer.parseInt(resume.meta().get("epoch")) + 1;
            resumedFrom.addAll(parseInts(resume.meta().get("resumedFrom")));
            resumedFrom.add(start);
            summary = new StringBuilder(resume.meta().get("summary"));
            LOG.info("{}: attempt {} resumes fine-tuning at epoch {}", r.runId(), attempt, start);
        } else {
            params = FineTuneStage.initial(r.method(), data, r.dataset().classes(), source, aligned, r.seed());
            if (attempt > 1) {
                resumedFrom.add(1);
            }
        }
        String lastKey = resume == null ? null : ArtifactKeys.checkpoint(r.runId(), start - 1);
        double validation = start > 1 ? Double.parseDouble(resume.meta().get("validation")) : Double.NaN;
        for (int epoch = start; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            final String ckKey = lastKey;
            double loss = FineTuneStage.epoch(params, data, s, r.seed(), epoch, (e, n, step, total, l) ->
                    ctx.heartbeat(new StageHeartbeat("finetune", e, n, step, total, l, ckKey, attempt)));
            validation = FineTuneStage.metric(params, data.validation());
            summary.append(String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.3f,%d%n", epoch, loss, validation,
                    (System.nanoTime() - t0) / 1e9, attempt));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("epoch", Integer.toString(epoch));
            meta.put("cacheKey", ck);
            meta.put("loss", Double.toString(loss));
            meta.put("validation", Double.toString(validation));
            meta.put("resumedFrom", join(resumedFrom));
            meta.put("summary", summary.toString());
            lastKey = ArtifactKeys.checkpoint(r.runId(), epoch);
            store.put(lastKey, new TensorFile(meta, params).encode(), "application/octet-stream");
            store.putText(ArtifactKeys.summary(r.runId()), summary.toString(), "text/csv");
            ctx.heartbeat(new StageHeartbeat("finetune", epoch, epochs, 0, 0, loss, lastKey, attempt));
        }
        if (lastKey == null) {
            throw new dev.mona.workflows.InvalidRequestException("fine-tuning needs at least one epoch (epochs="
                    + epochs + ")");
        }
        double test = FineTuneStage.metric(params, data.test());
        byte[] finalBytes = store.get(lastKey);
        FineTuneResult res = new FineTuneResult(lastKey, Digests.sha256(finalBytes), ArtifactKeys.summary(r.runId()),
                epochs, FineTuneStage.metricName(), validation, test, List.copyOf(resumedFrom),
                FineTuneStage.IMPLEMENTATION, false);
        store.putText(ArtifactKeys.fineTuneRecord(r.runId()), Json.write(Map.of("result", res, "hardware",
                Provenance.hardware(), "libraries", Provenance.libraries())), "application/json");
        cache.record("finetune", ck, res);
        return res;
    }

    /** The newest checkpoint of this run written for the same inputs (cache key), or null. */
    private TensorFile newestCheckpoint(String runId, String cacheKey) {
        List<String> keys = store.list(ArtifactKeys.checkpoints(runId)).stream().map(ArtifactStore.Entry::key)
                .filter(k -> ArtifactKeys.checkpointEpoch(k) > 0)
                .sorted(Comparator.comparingInt(ArtifactKeys::checkpointEpoch).reversed()).toList();
        for (String k : keys) {
            TensorFile f = TensorFile.decode(store.get(k));
            if (cacheKey.equals(f.meta().get("cacheKey"))) {
                return f;
            }
        }
        return null;
    }

    private static String join(List<Integer> xs) {
        return String.join(";", xs.stream().map(String::valueOf).toList());
    }

    private static List<Integer> parseInts(String s) {
        List<Integer> out = new ArrayList<>();
        if (s != null && !s.isBlank()) {
            for (String p : s.split(";")) {
                out.add(Integer.parseInt(p));
            }
        }
        return out;
    }

    @Override
    public ProbeResult linearProbe(ProbeRequest r) {
        return Failures.guard(() -> {
            Settings s = Settings.resolve(r.overrides());
            boolean core = !SourceStage.INTERIM_ENCODER.equals(r.source().name());
            String impl = core ? ProbeStage.CORE_IMPLEMENTATION : ProbeStage.IMPLEMENTATION;
            String ck = StageCache.key("probe", impl, Map.of("source", r.source().digest(),
                    "model", r.fineTuned().digest()), s.subset(ProbeStage.configKeys()));
            var hit = cache.lookup("probe", ck, r.noCache(), ProbeResult.class);
            if (hit.isPresent()) {
                return hit.get();
            }
            if (core) {
                return CoreStages.probe(store, cache, ck, impl, r);
            }
            ActivityExecutionContext ctx = Activity.getExecutionContext();
            Artifacts.Source source = Artifacts.source(store, r.source());
            DataSplit set = source.sourceSet();
            Map<String, HostTensor> pretrained = source.weightsState();
            Map<String, HostTensor> tuned = Artifacts.state(store, r.fineTuned().checkpointKey(), r.fineTuned().digest());
            ctx.heartbeat(new StageHeartbeat("probe", 0, 2, 0, 2, 0, null, ctx.getInfo().getAttempt()));
            double before = ProbeStage.error(pretrained, set, s);
            ctx.heartbeat(new StageHeartbeat("probe", 0, 2, 1, 2, 0, null, ctx.getInfo().getAttempt()));
            double after = ProbeStage.error(tuned, set, s);
            String key = ArtifactKeys.probe(r.runId());
            ProbeResult res = new ProbeResult(before, after, key, ProbeStage.IMPLEMENTATION, false);
            store.putText(key, Json.write(res), "application/json");
            cache.record("probe", ck, res);
            return res;
        });
    }
}
