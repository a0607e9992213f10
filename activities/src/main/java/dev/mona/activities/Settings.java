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
            Map.entry("samples", new String[]{"1200", "training samples of a generated task"}),
            Map.entry("epochs", new String[]{"4", "fine-tuning epochs"}),
            Map.entry("batch", new String[]{"32", "mini-batch size"}),
            Map.entry("lr", new String[]{"0.05", "fine-tuning learning rate"}),
            Map.entry("width", new String[]{"32", "token width of the interim encoder"}),
            Map.entry("align.epochs", new String[]{"2", "stage-1 (embedder alignment) epochs"}),
            Map.entry("align.lr", new String[]{"0.05", "stage-1 learning rate"}),
            Map.entry("source.samples", new String[]{"800", "labelled source samples"}),
            Map.entry("source.epochs", new String[]{"6", "source pretraining epochs of the interim encoder"}),
            Map.entry("probe.epochs", new String[]{"40", "epochs of the linear probe's classifier"})));

    private final TreeMap<String, String> values = new TreeMap<>();

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
            });
        }
        // every value is checked now, so a bad one fails before anything is submitted
        KNOWN.forEach((k, v) -> {
            if (v[0].contains(".")) {
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
