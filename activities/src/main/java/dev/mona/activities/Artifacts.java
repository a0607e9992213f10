package dev.mona.activities;

import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading and writing data sets and model states as {@link TensorFile}s in the store. */
final class Artifacts {
    private Artifacts() {}

    static byte[] encodeTask(String task, TaskData d) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        put(t, "train", d.train());
        put(t, "validation", d.validation());
        put(t, "test", d.test());
        return new TensorFile(Map.of("task", task), t).encode();
    }

    private static void put(Map<String, HostTensor> t, String name, DataSplit s) {
        t.put(name + ".x", s.x());
        t.put(name + ".y", s.y());
    }

    static TaskData task(ArtifactStore store, String key) {
        Map<String, HostTensor> t = TensorFile.decode(store.get(key)).tensors();
        return new TaskData(new DataSplit(t.get("train.x"), t.get("train.y")),
                new DataSplit(t.get("validation.x"), t.get("validation.y")),
                new DataSplit(t.get("test.x"), t.get("test.y")));
    }

    static DataSplit split(ArtifactStore store, String key) {
        Map<String, HostTensor> t = TensorFile.decode(store.get(key)).tensors();
        return new DataSplit(t.get("x"), t.get("y"));
    }

    static Map<String, HostTensor> state(ArtifactStore store, String key) {
        return TensorFile.decode(store.get(key)).tensors();
    }
}
