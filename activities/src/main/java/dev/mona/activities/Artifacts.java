package dev.mona.activities;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactNotFoundException;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.CorruptArtifactException;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.fetch.Digests;
import dev.mona.core.metric.ProteinWindow;
import dev.mona.core.task.LoadedTask;
import dev.mona.core.task.UnitGaussianNormalizer;
import dev.mona.workflows.stage.AlignResult;
import dev.mona.workflows.stage.DatasetRef;
import dev.mona.workflows.stage.ExportResult;
import dev.mona.workflows.stage.FineTuneResult;
import dev.mona.workflows.stage.ProbeResult;
import dev.mona.workflows.stage.SourceRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reading and writing data sets, source encoders and model states in the store. Every read of an artifact that a
 * reference points at is checked against the SHA-256 the reference recorded when it was written.
 */
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
                                 byte[] sourceSet, BiFunction<String, String, String> weightsKey,
                                 String encoderConfig, Map<String, String> provenance) {
        String digest = sourceDigest(weights, sourceSet);
        String wk = weightsKey.apply(encoder, digest.substring(0, 16));
        String sk = ArtifactKeys.sourceSet(encoder, digest.substring(0, 16));
        store.put(wk, weights, "application/octet-stream");
        store.put(sk, sourceSet, "application/octet-stream");
        SourceRef ref = new SourceRef(encoder, wk, sk, digest, false, encoderConfig, provenance);
        cache.record("source", ck, ref);
        return ref;
    }

    /**
     * The bytes under {@code key}, checked against the SHA-256 recorded when they were written.
     *
     * @throws CorruptArtifactException naming the key and both digests when they differ
     */
    static byte[] read(ArtifactStore store, String key, String sha256) {
        byte[] bytes = store.get(key);
        String actual = Digests.sha256(bytes);
        if (!actual.equals(Digests.normalise(sha256))) {
            throw new CorruptArtifactException(key, sha256, actual);
        }
        return bytes;
    }

    /** {@link #read} into {@code target} (through a temporary file, so a failed read leaves nothing). */
    static Path download(ArtifactStore store, String key, String sha256, Path target) {
        return write(read(store, key, sha256), target);
    }

    /**
     * Checks every artifact {@code ref} points at against its recorded digest (a {@link DatasetRef},
     * {@link SourceRef}, {@link AlignResult} or {@link FineTuneResult}); other stage results record no digest
     * and only need their artifact to exist.
     *
     * @throws CorruptArtifactException          when a digest differs
     * @throws dev.mona.activities.store.ArtifactNotFoundException when an artifact is missing
     */
    static void verify(ArtifactStore store, Object ref) {
        if (ref instanceof DatasetRef d) {
            read(store, d.key(), d.digest());
        } else if (ref instanceof SourceRef s) {
            sourceFiles(store, s);
        } else if (ref instanceof AlignResult a) {
            if (a.embedderKey() != null) {
                read(store, a.embedderKey(), a.digest());
            }
        } else if (ref instanceof FineTuneResult f) {
            read(store, f.checkpointKey(), f.digest());
        } else if (ref instanceof ProbeResult p) {
            requireExists(store, p.key());
        } else if (ref instanceof ExportResult e) {
            if (e.onnxKey() != null) {
                requireExists(store, e.onnxKey());
            }
        } else {
            throw new IllegalArgumentException("no artifacts known for " + ref.getClass().getName());
        }
    }

    /** {@link #verify} of each non-null reference. */
    static void verifyAll(ArtifactStore store, Object... refs) {
        for (Object ref : refs) {
            if (ref != null) {
                verify(store, ref);
            }
        }
    }

    private static void requireExists(ArtifactStore store, String key) {
        if (!store.exists(key)) {
            throw new ArtifactNotFoundException(key, store.config().bucket());
        }
    }

    /**
     * A prepared source encoder: its weights (safetensors) and its labelled source set ({@code x}, {@code y}), the
     * held-out probe set ({@code probe.x}, {@code probe.y}) and the class count.
     */
    record Source(String weightsKey, byte[] weights, TensorFile sets) {
        /** The labelled source set. */
        DataSplit sourceSet() {
            return new DataSplit(sets.tensors().get("x"), sets.tensors().get("y"));
        }

        /** The held-out probe set. */
        DataSplit probeSet() {
            return new DataSplit(sets.tensors().get("probe.x"), sets.tensors().get("probe.y"));
        }

        /** Source classes (recorded with the set; the Fashion-MNIST ViT's 10 otherwise). */
        int classes() {
            return Integer.parseInt(sets.meta().getOrDefault("classes", "10"));
        }

        /** The weights written to a file in {@code dir} (safetensors loaders read files). */
        Path weightsFile(Path dir) {
            return write(weights, dir.resolve(weightsKey.replace('/', '_')));
        }
    }

    /** Reads a source encoder and checks both objects against the reference's joint digest. */
    static Source source(ArtifactStore store, SourceRef ref) {
        byte[][] files = sourceFiles(store, ref);
        return new Source(ref.weightsKey(), files[0], decode(ref.sourceSetKey(), files[1]));
    }

    /** The weights and the source set of {@code ref}, checked against its joint digest. */
    private static byte[][] sourceFiles(ArtifactStore store, SourceRef ref) {
        byte[] weights = store.get(ref.weightsKey());
        byte[] sets = store.get(ref.sourceSetKey());
        String actual = sourceDigest(weights, sets);
        if (!actual.equals(Digests.normalise(ref.digest()))) {
            throw new CorruptArtifactException(ref.weightsKey() + " + " + ref.sourceSetKey(), ref.digest(), actual);
        }
        return new byte[][]{weights, sets};
    }

    /** The joint digest of a source encoder's two objects, as recorded in its {@link SourceRef}. */
    private static String sourceDigest(byte[] weights, byte[] sourceSet) {
        return Digests.sha256((Digests.sha256(weights) + Digests.sha256(sourceSet)).getBytes());
    }

    static TaskData task(ArtifactStore store, DatasetRef ref) {
        return loadedTask(store, ref).data();
    }

    /** The splits and the scoring information written by {@link #encodeTask}, checked against the digest. */
    static LoadedTask loadedTask(ArtifactStore store, DatasetRef ref) {
        return decodeTask(ref.key(), read(store, ref.key(), ref.digest()));
    }

    static LoadedTask decodeTask(String key, byte[] bytes) {
        Map<String, HostTensor> t = decode(key, bytes).tensors();
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

    /** Decodes a tensor file; bytes that do not decode are a typed corrupt-artifact error naming the key. */
    static TensorFile decode(String key, byte[] bytes) {
        try {
            return TensorFile.decode(bytes);
        } catch (RuntimeException e) {
            // truncated or garbled headers surface as BufferUnderflow, NegativeArraySize, ArithmeticException ...
            throw new CorruptArtifactException(key, "not a readable tensor file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private static Path write(byte[] bytes, Path target) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".part-", ".tmp");
            Files.write(tmp, bytes);
            return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
