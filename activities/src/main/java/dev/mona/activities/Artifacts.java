package dev.mona.activities;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.fetch.Digests;
import dev.mona.core.metric.ProteinWindow;
import dev.mona.core.task.LoadedTask;
import dev.mona.core.task.UnitGaussianNormalizer;
import dev.mona.workflows.stage.SourceRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** Reading and writing data sets and model states as {@link TensorFile}s in the store. */
final class Artifacts {
    private Artifacts() {}

    /**
     * The splits, plus what the task's evaluation protocol needs ({@link LoadedTask#scorer}): the target
     * normaliser ({@code scoring.normalizer.{mean,std,eps}}), the output threshold ({@code scoring.threshold}), the
     * clip of each validation / test row ({@code validation.clip}, {@code test.clip}) and PSICOV's protein windows
     * ({@code *.proteins}, rows of length, row offset, column offset). All are small integers or per-position
     * floats, exact in float32.
     */
    static byte[] encodeTask(String task, LoadedTask loaded) {
        TaskData d = loaded.data();
        Map<String, HostTensor> t = new LinkedHashMap<>();
        put(t, "train", d.train());
        put(t, "validation", d.validation());
        put(t, "test", d.test());
        UnitGaussianNormalizer n = loaded.targetNormalizer();
        if (n != null) {
            t.put("scoring.normalizer.mean", new HostTensor(n.mean(), new long[] {n.mean().length}));
            t.put("scoring.normalizer.std", new HostTensor(n.std(), new long[] {n.std().length}));
            t.put("scoring.normalizer.eps", new HostTensor(new float[] {(float) n.eps()}, new long[] {1}));
        }
        if (!Double.isNaN(loaded.scoreThreshold())) {
            t.put("scoring.threshold", new HostTensor(new float[] {(float) loaded.scoreThreshold()}, new long[] {1}));
        }
        putIndex(t, "validation.clip", loaded.validationClipOfRow());
        putIndex(t, "test.clip", loaded.testClipOfRow());
        putProteins(t, "validation.proteins", loaded.validationProteins());
        putProteins(t, "test.proteins", loaded.testProteins());
        return new TensorFile(Map.of("task", task), t).encode();
    }

    private static void putIndex(Map<String, HostTensor> t, String name, int[] index) {
        if (index != null) {
            float[] f = new float[index.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = index[i];
            }
            t.put(name, new HostTensor(f, new long[] {f.length}));
        }
    }

    private static void putProteins(Map<String, HostTensor> t, String name, ProteinWindow[] proteins) {
        if (proteins != null) {
            float[] f = new float[3 * proteins.length];
            for (int i = 0; i < proteins.length; i++) {
                f[3 * i] = proteins[i].length();
                f[3 * i + 1] = proteins[i].rowOffset();
                f[3 * i + 2] = proteins[i].colOffset();
            }
            t.put(name, new HostTensor(f, new long[] {proteins.length, 3}));
        }
    }

    private static int[] index(HostTensor h) {
        if (h == null) {
            return null;
        }
        int[] out = new int[h.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(h.data()[i]);
        }
        return out;
    }

    private static ProteinWindow[] proteins(HostTensor h) {
        if (h == null) {
            return null;
        }
        ProteinWindow[] out = new ProteinWindow[h.rows()];
        float[] f = h.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = new ProteinWindow(Math.round(f[3 * i]), Math.round(f[3 * i + 1]), Math.round(f[3 * i + 2]));
        }
        return out;
    }

    private static void put(Map<String, HostTensor> t, String name, DataSplit s) {
        t.put(name + ".x", s.x());
        t.put(name + ".y", s.y());
    }

    /**
     * Stores a prepared source encoder (weights and labelled source set) under keys named by their joint digest and
     * records the stage's cache entry.
     */
    static SourceRef storeSource(ArtifactStore store, StageCache cache, String ck, String encoder, byte[] weights,
                                 byte[] sourceSet, BiFunction<String, String, String> weightsKey) {
        String digest = Digests.sha256((Digests.sha256(weights) + Digests.sha256(sourceSet)).getBytes());
        String wk = weightsKey.apply(encoder, digest.substring(0, 16));
        String sk = ArtifactKeys.sourceSet(encoder, digest.substring(0, 16));
        store.put(wk, weights, "application/octet-stream");
        store.put(sk, sourceSet, "application/octet-stream");
        SourceRef ref = new SourceRef(encoder, wk, sk, digest, false);
        cache.record("source", ck, ref);
        return ref;
    }

    static TaskData task(ArtifactStore store, String key) {
        return loadedTask(store, key).data();
    }

    /** The splits and the scoring information written by {@link #encodeTask}. */
    static LoadedTask loadedTask(ArtifactStore store, String key) {
        return decodeTask(store.get(key));
    }

    static LoadedTask decodeTask(byte[] bytes) {
        Map<String, HostTensor> t = TensorFile.decode(bytes).tensors();
        TaskData data = new TaskData(new DataSplit(t.get("train.x"), t.get("train.y")),
                new DataSplit(t.get("validation.x"), t.get("validation.y")),
                new DataSplit(t.get("test.x"), t.get("test.y")));
        HostTensor mean = t.get("scoring.normalizer.mean");
        UnitGaussianNormalizer n = mean == null ? null : new UnitGaussianNormalizer(mean.data(),
                t.get("scoring.normalizer.std").data(), t.get("scoring.normalizer.eps").data()[0]);
        HostTensor threshold = t.get("scoring.threshold");
        return new LoadedTask(data, n, index(t.get("validation.clip")), index(t.get("test.clip")),
                proteins(t.get("validation.proteins")), proteins(t.get("test.proteins")),
                threshold == null ? Double.NaN : threshold.data()[0]);
    }

    static DataSplit split(ArtifactStore store, String key) {
        Map<String, HostTensor> t = TensorFile.decode(store.get(key)).tensors();
        return new DataSplit(t.get("x"), t.get("y"));
    }
}
