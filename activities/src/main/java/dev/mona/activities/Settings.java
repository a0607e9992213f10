package dev.mona.activities;

import dev.mona.workflows.InvalidRequestException;

import java.util.Map;
import java.util.TreeMap;

/**
 * A stage's fully resolved configuration: defaults, then the request's overrides. Unknown override keys and
 * unparsable values are bad input (non-retryable) that names the key and lists what is known.
 */
public final class Settings {
    /** Every key a user may override, with its default and meaning (shown by {@code mona run --help}). */
    public static final Map<String, String[]> KNOWN = new TreeMap<>(Map.ofEntries(
            Map.entry("samples", new String[]{"1200", "training samples of a generated (synthetic-*) task"}),
            Map.entry("limit", new String[]{"0", "catalogue tasks: at most this many samples per split (0: all)"}),
            Map.entry("epochs", new String[]{"4", "fine-tuning epochs (catalogue tasks: the task's unless set)"}),
            Map.entry("batch", new String[]{"32", "mini-batch size (catalogue tasks: the task's unless set)"}),
            Map.entry("lr", new String[]{"0.05", "learning rate (catalogue tasks: the task's unless set)"}),
            Map.entry("width", new String[]{"32", "token width of the interim encoder"}),
            Map.entry("align.epochs", new String[]{"2", "stage-1 epochs: Emb warm-up, ORCA embedder epochs "
                    + "(catalogue tasks: core's default unless set)"}),
            Map.entry("align.steps", new String[]{"0", "catalogue tasks: MoNA meta-steps (0: core's default)"}),
            Map.entry("align.lr", new String[]{"0.05", "stage-1 learning rate"}),
            Map.entry("source.samples", new String[]{"800", "labelled source samples"}),
            Map.entry("source.epochs", new String[]{"6", "source pretraining epochs (interim encoder; ViT: 3 unless set)"}),
            Map.entry("source.limit", new String[]{"0", "ViT source pretraining: at most this many images (0: all)"}),
            Map.entry("probe.epochs", new String[]{"40", "epochs of the linear probe's classifier"})));

    private final TreeMap<String, String> values = new TreeMap<>();
    private final java.util.Set<String> overridden = new java.util.TreeSet<>();

    private Settings() {}

    /** Defaults overlaid with {@code overrides}; a typed error for an unknown key. */
    public static Settings resolve(Map<String, String> overrides) {
        Settings s = new Settings();
        KNOWN.forEach((k, v) -> s.values.put(k, v[0]));
        if (overrides != null) {
            overrides.forEach((k, v) -> {
                if (!KNOWN.containsKey(k)) {
                    throw new InvalidRequestException("unknown configuration key '" + k + "'; known keys: "
                            + String.join(", ", KNOWN.keySet()));
                }
                s.values.put(k, v);
                s.overridden.add(k);
            });
        }
        // every value is checked now, so a bad one fails before anything is submitted
        KNOWN.forEach((k, v) -> {
            if (v[0].equals("0")) {
                s.count(k);
            } else if (v[0].contains(".")) {
                s.number(k);
            } else {
                s.integer(k);
            }
        });
        return s;
    }

    public int integer(String key) {
        try {
            int v = Integer.parseInt(values.get(key).trim());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("configuration '" + key + "'='" + values.get(key)
                    + "' is not a positive integer");
        }
    }

    /** A non-negative integer (0 meaning "the default"). */
    public int count(String key) {
        try {
            int v = Integer.parseInt(values.get(key).trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("configuration '" + key + "'='" + values.get(key)
                    + "' is not a whole number >= 0");
        }
    }

    /** True when the request set {@code key} (catalogue tasks keep their own settings otherwise). */
    public boolean overridden(String key) {
        return overridden.contains(key);
    }

    public double number(String key) {
        try {
            double v = Double.parseDouble(values.get(key).trim());
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("configuration '" + key + "'='" + values.get(key)
                    + "' is not a positive number");
        }
    }

    /** The resolved keys of {@code keys} only (what one stage depends on), sorted. */
    public TreeMap<String, String> subset(String... keys) {
        TreeMap<String, String> out = new TreeMap<>();
        for (String k : keys) {
            out.put(k, values.get(k));
        }
        return out;
    }

    public TreeMap<String, String> all() {
        return new TreeMap<>(values);
    }
}
