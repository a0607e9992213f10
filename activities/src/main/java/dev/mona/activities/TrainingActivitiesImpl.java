package dev.mona.activities;

import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.stage.FineTuneStage;
import dev.mona.activities.stage.ProbeStage;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.config.RunConfig;
import dev.mona.workflows.stage.AlignRequest;
import dev.mona.workflows.stage.AlignResult;
import dev.mona.workflows.stage.EpochWeights;
import dev.mona.workflows.stage.FineTuneRequest;
import dev.mona.workflows.stage.FineTuneResult;
import dev.mona.workflows.stage.ProbeRequest;
import dev.mona.workflows.stage.ProbeResult;
import dev.mona.workflows.stage.TrainingActivities;

import java.util.Map;
import java.util.TreeMap;

/**
 * The GPU stages: cache lookup, then core through {@link CoreStages}. Long loops heartbeat
 * {@code StageHeartbeat}s; fine-tuning mirrors core's Trainer checkpoint to the store after every epoch and a
 * retried attempt resumes from the newest checkpoint written for the same inputs.
 */
public class TrainingActivitiesImpl implements TrainingActivities {
    private final ArtifactStore store;
    private final StageCache cache;

    public TrainingActivitiesImpl(ArtifactStore store) {
        this.store = store;
        this.cache = new StageCache(store);
    }

    @Override
    public AlignResult alignEmbedder(AlignRequest r) {
        return Failures.guard(() -> {
            TaskStage.ensure(store, r.dataset().task());
            RunConfig c = RunConfigs.forStage(r.dataset().task(), r.method(), r.source().name(), r.overrides());
            String impl = "core:" + r.method().label();
            String ck = StageCache.key("align", impl, Map.of("dataset", r.dataset().digest(), "source",
                    r.source().digest(), "method", r.method().name(), "seed", Long.toString(r.seed())),
                    RunConfigs.alignment(c));
            var hit = cache.lookup("align", ck, r.noCache(), AlignResult.class);
            return hit.isPresent() ? hit.get() : CoreStages.align(store, cache, ck, impl, r, c);
        });
    }

    @Override
    public FineTuneResult fineTune(FineTuneRequest r) {
        return Failures.guard(() -> {
            TaskStage.ensure(store, r.dataset().task());
            RunConfig c = RunConfigs.forStage(r.dataset().task(), r.method(), r.source().name(), r.overrides());
            Map<String, String> inputs = new TreeMap<>(Map.of("dataset", r.dataset().digest(), "source",
                    r.source().digest(), "method", r.method().name(), "seed", Long.toString(r.seed()),
                    "aligned", r.aligned() == null ? "none" : r.aligned().digest(), "encoder", r.source().name()));
            String ck = StageCache.key("finetune", FineTuneStage.IMPLEMENTATION, inputs,
                    RunConfigs.training(c));
            var hit = cache.lookup("finetune", ck, r.noCache(), FineTuneResult.class);
            return hit.isPresent() ? hit.get()
                    : CoreStages.fineTune(store, cache, ck, FineTuneStage.IMPLEMENTATION, r, c);
        });
    }

    @Override
    public ProbeResult linearProbe(ProbeRequest r) {
        return Failures.guard(() -> {
            TaskStage.ensure(store, r.task());
            RunConfig c = RunConfigs.forStage(r.task(), null, r.source().name(), r.overrides());
            Map<String, String> inputs = new TreeMap<>(Map.of("source", r.source().digest(), "model",
                    r.fineTuned().digest(), "dataset", r.dataset().digest(), "aligned", r.aligned() == null ? "none"
                    : r.aligned().digest(), "method", r.method().name(), "seed", Long.toString(r.seed())));
            for (EpochWeights w : r.fineTuned().probeWeights()) {
                inputs.put("epoch." + w.epoch(), w.digest());
            }
            TreeMap<String, String> config = RunConfigs.prefixed(c, "probe.");
            config.putAll(RunConfigs.prefixed(c, "tsne."));
            config.put("precision", c.value("precision")); // the probe's features come from its products
            String ck = StageCache.key("probe", ProbeStage.IMPLEMENTATION, inputs, config);
            var hit = cache.lookup("probe", ck, r.noCache(), ProbeResult.class);
            return hit.isPresent() ? hit.get()
                    : CoreStages.probe(store, cache, ck, ProbeStage.IMPLEMENTATION, r, c);
        });
    }
}
