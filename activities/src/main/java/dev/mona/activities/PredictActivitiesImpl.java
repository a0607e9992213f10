package dev.mona.activities;

import dev.mona.activities.stage.PredictStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.S3Location;
import dev.mona.core.data.HostTensor;
import dev.mona.core.fetch.Digests;
import dev.mona.core.io.formats.NpyFloat32;
import dev.mona.core.task.spec.SpecArrays;
import dev.mona.core.task.spec.SpecTaskLoader;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.stage.PredictActivities;
import dev.mona.workflows.stage.PredictManifestRequest;
import dev.mona.workflows.stage.PredictModel;
import dev.mona.workflows.stage.PredictPlan;
import dev.mona.workflows.stage.PredictPlanRequest;
import dev.mona.workflows.stage.PredictShard;
import dev.mona.workflows.stage.PredictShardRequest;
import dev.mona.workflows.stage.PredictShardResult;
import dev.mona.workflows.stage.StageHeartbeat;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages of a prediction job over files in the store. A shard's record ({@code shards/NNNNN.json}: input and
 * model digests, rows, output digest, when and where it was computed) is written after its output, so a record
 * that names the same input and model proves a finished shard: a repeated attempt returns it without computing.
 */
public class PredictActivitiesImpl implements PredictActivities {
    private static final Logger LOG = LoggerFactory.getLogger(PredictActivitiesImpl.class);
    /** This process, as a shard's record names where it was computed. */
    private static final String WORKER = host() + " pid " + ProcessHandle.current().pid();
    private final ArtifactStore store;

    public PredictActivitiesImpl(ArtifactStore store) {
        this.store = store;
    }

    @Override
    public PredictPlan planPrediction(PredictPlanRequest r) {
        return Failures.guard(() -> {
            if (r.request().batch() < 1 || r.request().batch() > 65_536) {
                throw new InvalidRequestException("batch " + r.request().batch() + " is outside 1 to 65536");
            }
            S3Location prefix = S3Location.parse(r.request().inputPrefix(), "input prefix");
            if (!store.exists(ArtifactKeys.manifest(r.request().runId()))) {
                throw new InvalidRequestException("run " + r.request().runId() + " has no manifest in the store: "
                        + "predict with a finished run (see 'mona ls')");
            }
            PredictStage.Predictor p = PredictStage.open(store, r.request().runId());
            List<PredictShard> shards = new ArrayList<>();
            String out = ArtifactKeys.predictions(r.jobId());
            for (ArtifactStore.Entry e : store.inBucket(prefix.bucket()).list(prefix.key())) {
                String input = new S3Location(prefix.bucket(), e.key()).uri();
                String format = SpecArrays.format(e.key());
                if (format == null) {
                    throw new InvalidRequestException(input + " is not an input file (.npy, .npz, .h5/.hdf5, "
                            + ".csv); keep only input files under " + prefix.uri());
                }
                if ((format.equals("npz") || format.equals("hdf5")) && r.request().array().isEmpty()) {
                    throw new InvalidRequestException(input + ": name the npz member or HDF5 dataset to predict "
                            + "on (--array)");
                }
                String n = String.format(java.util.Locale.ROOT, "%05d", shards.size());
                shards.add(new PredictShard(shards.size(), input, r.request().array(), out + "shards/" + n + ".npy",
                        out + "shards/" + n + ".json"));
            }
            if (shards.isEmpty()) {
                throw new InvalidRequestException("no input files under " + prefix.uri() + "; upload them first "
                        + "(npy, npz, HDF5 or CSV)");
            }
            SpecTaskLoader.ChannelNormalizer n = p.normalizer();
            PredictModel model = new PredictModel(p.runId(), p.spec().versionedName(),
                    ArtifactKeys.onnx(p.runId()), Digests.sha256(p.onnx()), n == null ? new float[0] : n.mean(),
                    n == null ? new float[0] : n.std());
            LOG.info("prediction {}: {} shards of {} with run {}", r.jobId(), shards.size(), prefix.uri(), p.runId());
            return new PredictPlan(r.jobId(), model, shards, out + "manifest.json");
        });
    }

    @Override
    public PredictShardResult predictShard(PredictShardRequest r) {
        return Failures.guard(() -> {
            ActivityExecutionContext ctx = Activity.getExecutionContext();
            int attempt = ctx.getInfo().getAttempt();
            PredictShard shard = r.shard();
            ctx.heartbeat(new StageHeartbeat("predict", 0, 0, 0, 0, 0, null, attempt));
            S3Location input = S3Location.parse(shard.input(), "input");
            byte[] bytes = store.inBucket(input.bucket()).get(input.key());
            String inputSha = Digests.sha256(bytes);
            if (store.exists(shard.recordKey())) {
                Map<?, ?> record = Json.read(store.getText(shard.recordKey()), Map.class);
                if (inputSha.equals(record.get("inputSha256")) && r.model().onnxSha256().equals(record.get(
                        "modelSha256")) && store.exists(shard.outputKey())) {
                    LOG.info("shard {} of {} was predicted before; not computed again", shard.index(), shard.input());
                    return new PredictShardResult(shard.index(), inputSha, ((Number) record.get("rows")).intValue(),
                            String.valueOf(record.get("outputSha256")), true);
                }
            }
            PredictStage.Predictor p = PredictStage.predictor(store, r.model());
            HostTensor y = predict(p, bytes, input, shard.array(), r.batch(), ctx, attempt);
            byte[] npy = NpyFloat32.bytes(y.shape(), y.data());
            String outputSha = Digests.sha256(npy);
            store.put(shard.outputKey(), npy, "application/octet-stream");
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("index", shard.index());
            record.put("input", shard.input());
            record.put("inputSha256", inputSha);
            record.put("modelSha256", r.model().onnxSha256());
            record.put("rows", y.rows());
            record.put("output", shard.outputKey());
            record.put("outputSha256", outputSha);
            record.put("attempt", attempt);
            record.put("worker", WORKER);
            record.put("finishedAt", Instant.now().toString());
            // the record is the commit point: written last, it proves the output complete
            store.putText(shard.recordKey(), Json.write(record), "application/json");
            return new PredictShardResult(shard.index(), inputSha, y.rows(), outputSha, false);
        });
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** The shard's predictions: the input read from a local copy (the readers take files), rows heartbeated. */
    private static HostTensor predict(PredictStage.Predictor p, byte[] bytes, S3Location input, String array,
                                      int batch, ActivityExecutionContext ctx, int attempt) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mona-predict-");
            Path file = dir.resolve(input.key().substring(input.key().lastIndexOf('/') + 1));
            Files.write(file, bytes);
            HostTensor x = p.read(file, array.isEmpty() ? null : array);
            return p.predict(x, batch, done -> ctx.heartbeat(new StageHeartbeat("predict", 0, 0, done, x.rows(), 0,
                    null, attempt)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    LOG.warn("cannot remove {}: {}", dir, e.getMessage());
                }
            }
        }
    }

    @Override
    public String writePredictionManifest(PredictManifestRequest r) {
        return Failures.guard(() -> {
            PredictModel model = r.plan().model();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobId", r.plan().jobId());
            m.put("runId", model.runId());
            m.put("task", model.task());
            m.put("model", Map.of("key", model.onnxKey(), "sha256", model.onnxSha256()));
            m.put("inputPrefix", r.request().inputPrefix());
            m.put("array", r.request().array());
            m.put("batch", r.request().batch());
            List<Map<String, Object>> shards = new ArrayList<>();
            long rows = 0;
            for (int i = 0; i < r.shards().size(); i++) {
                PredictShard s = r.plan().shards().get(i);
                PredictShardResult res = r.shards().get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", s.index());
                row.put("input", s.input());
                row.put("inputSha256", res.inputSha256());
                row.put("rows", res.rows());
                row.put("output", s.outputKey());
                row.put("outputSha256", res.outputSha256());
                shards.add(row);
                rows += res.rows();
            }
            m.put("counts", Map.of("shards", shards.size(), "rows", rows));
            m.put("shards", shards);
            m.put("writtenAt", Instant.now().toString());
            store.putText(r.plan().manifestKey(), Json.write(m), "application/json");
            return r.plan().manifestKey();
        });
    }
}
