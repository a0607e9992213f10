package dev.mona.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.fetch.Digests;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Skips a stage whose inputs match a finished one: the key is SHA-256 over the stage name, its implementation,
 * the code version, the input digests and the resolved configuration. The entry is the stage's result record,
 * stored under {@code cache/<stage>/<key>.json} after the stage's artifacts are written (so an entry never points
 * at a missing artifact).
 */
public final class StageCache {
    private final ArtifactStore store;

    public StageCache(ArtifactStore store) {
        this.store = store;
    }

    /** The cache key of a stage execution. */
    public static String key(String stage, String implementation, Map<String, String> inputDigests,
                             Map<String, String> config) {
        StringBuilder b = new StringBuilder("stage=").append(stage).append("\nimpl=").append(implementation)
                .append("\ncode=").append(CodeVersion.current()).append('\n');
        new TreeMap<>(inputDigests).forEach((k, v) -> b.append("in.").append(k).append('=').append(v).append('\n'));
        new TreeMap<>(config).forEach((k, v) -> b.append("cfg.").append(k).append('=').append(v).append('\n'));
        return Digests.sha256(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 32);
    }

    /**
     * The recorded result of a finished stage with this key, marked {@code cached} (every stage result record has
     * that flag), or empty when there is none or {@code noCache}.
     */
    public <T> Optional<T> lookup(String stage, String key, boolean noCache, Class<T> type) {
        if (noCache) {
            return Optional.empty();
        }
        String k = ArtifactKeys.cache(stage, key);
        if (!store.exists(k)) {
            return Optional.empty();
        }
        try {
            ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(store.getText(k));
            tree.put("cached", true);
            return Optional.of(Json.MAPPER.treeToValue(tree, type));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("unreadable stage cache entry " + k + ": " + e.getMessage(), e);
        }
    }

    public void record(String stage, String key, Object result) {
        store.putText(ArtifactKeys.cache(stage, key), Json.write(result), "application/json");
    }
}
