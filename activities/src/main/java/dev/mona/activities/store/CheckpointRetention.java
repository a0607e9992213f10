package dev.mona.activities.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many checkpoints a finished run keeps. A run's checkpoints ({@code runs/<id>/checkpoints/epoch-NNN/} and
 * {@code runs/<id>/align-checkpoints/step-NNN/}) exist to resume an interrupted attempt; once the run has its
 * results only the newest {@code keep} folders of each stay (default 1), always including the folder
 * {@code latest.json} points to. The best model is never lost: it is {@code model/final.safetensors}, and each
 * fine-tuning folder carries the best-so-far weights ({@code best.safetensors}), so the last folder holds the best.
 */
public final class CheckpointRetention {
    private CheckpointRetention() {}

    /** Checkpoint folders kept per stage by default: the last (which holds the best weights). */
    public static final int DEFAULT_KEEP = 1;

    private static final Pattern FOLDER = Pattern.compile("([a-z]+)-(\\d+)/");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The objects of run {@code runId}'s checkpoints that the rule drops (keeping the newest {@code keep}). */
    public static List<ArtifactStore.Entry> surplus(ArtifactStore store, String runId, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        List<ArtifactStore.Entry> out = new ArrayList<>();
        for (String base : List.of(ArtifactKeys.checkpoints(runId), ArtifactKeys.alignCheckpoints(runId))) {
            TreeMap<Long, List<ArtifactStore.Entry>> folders = new TreeMap<>();
            Map<Long, String> names = new TreeMap<>();
            String pointed = null;
            for (ArtifactStore.Entry e : store.list(base)) {
                String rest = e.key().substring(base.length());
                if (rest.equals("latest.json")) {
                    pointed = folder(store, e.key());
                    continue;
                }
                Matcher m = FOLDER.matcher(rest);
                if (m.lookingAt()) {
                    long n = Long.parseLong(m.group(2));
                    folders.computeIfAbsent(n, k -> new ArrayList<>()).add(e);
                    names.put(n, base + m.group());
                }
            }
            int kept = 0;
            for (Long n : folders.descendingKeySet()) {
                if (kept < keep) {
                    kept++;
                } else if (!names.get(n).equals(pointed)) {
                    out.addAll(folders.get(n));
                }
            }
        }
        return out;
    }

    /** The folder a {@code latest.json} pointer names, or null when it is unreadable. */
    private static String folder(ArtifactStore store, String pointer) {
        try {
            JsonNode n = JSON.readTree(store.getText(pointer));
            return n.path("folder").asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
