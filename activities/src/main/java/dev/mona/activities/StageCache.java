package dev.mona.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactNotFoundException;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.CorruptArtifactException;
import dev.mona.core.fetch.Digests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Skips a stage whose inputs match a finished one: the key is SHA-256 over the stage name, its implementation,
 * the code version, the input digests and the resolved configuration. The entry is the stage's result record,
 * stored under {@code cache/<stage>/<key>.json} after the stage's artifacts are written; a hit whose artifacts are
 * missing or no longer match their digests counts as a miss.
 */
public final class StageCache {
    private static final Logger LOG = LoggerFactory.getLogger(StageCache.class);
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
     * that flag), or empty when there is none or {@code noCache}. A hit is used only when every artifact it points
     * at is still in the store with the digest recorded for it ({@link Artifacts#verify}); a missing or corrupt
     * artifact makes the hit a miss (logged at WARN with both digests), so the stage recomputes and overwrites it.
     */
    public <T> Optional<T> lookup(String stage, String key, boolean noCache, Class<T> type) {
        if (noCache) {
            return Optional.empty();
        }
        String k = ArtifactKeys.cache(stage, key);
        if (!store.exists(k)) {
            return Optional.empty();
        }
        T hit;
        try {
            ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(store.getText(k));
            tree.put("cached", true);
            hit = Json.MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | ClassCastException e) {
            LOG.warn("stage cache entry {} is unreadable ({}): recomputing {}", k, e.getMessage(), stage);
            return Optional.empty();
        }
        try {
            Artifacts.verify(store, hit);
        } catch (CorruptArtifactException e) {
            LOG.warn("stage cache entry {}: artifact {} has sha256 {} but {} was recorded: recomputing {}", k,
                    e.key(), e.actualDigest(), e.expectedDigest(), stage);
            return Optional.empty();
        } catch (ArtifactNotFoundException e) {
            LOG.warn("stage cache entry {}: {}: recomputing {}", k, e.getMessage(), stage);
            return Optional.empty();
        }
        return Optional.of(hit);
    }

    public void record(String stage, String key, Object result) {
        store.putText(ArtifactKeys.cache(stage, key), Json.write(result), "application/json");
    }
}
