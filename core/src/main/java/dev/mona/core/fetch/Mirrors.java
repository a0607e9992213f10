package dev.mona.core.fetch;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a task's files may be fetched from besides their published addresses (the NAS-Bench-360 bucket answers 403,
 * and mirrors move). Addresses are tried in this order:
 * <ol>
 *   <li>configuration entry for the task name, e.g. {@code nb360-darcy -> https://mirror.example/darcy}:
 *       {@code <base>/<file>};</li>
 *   <li>environment {@code MONA_MIRROR_<TASK>} with the task name upper-cased and every other character an
 *       underscore, e.g. {@code MONA_MIRROR_NB360_DARCY}: {@code <base>/<file>};</li>
 *   <li>configuration entry {@code *}: {@code <base>/<task>/<file>};</li>
 *   <li>environment {@code MONA_MIRROR}: {@code <base>/<task>/<file>};</li>
 *   <li>the catalogue's published addresses.</li>
 * </ol>
 * A base may be {@code http(s):} or {@code file:} (a folder of already downloaded files).
 *
 * @param config task name (or {@code *}) to base address
 * @param env    environment variables (normally {@link System#getenv()})
 */
public record Mirrors(Map<String, String> config, Map<String, String> env) {

    /** Mirrors from the process environment plus a configuration map. */
    public static Mirrors fromEnvironment(Map<String, String> config) {
        return new Mirrors(Map.copyOf(config), System.getenv());
    }

    /** The environment variable that names a mirror for one task. */
    public static String variableFor(String taskName) {
        return "MONA_MIRROR_" + taskName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Addresses to try for one file of a task, mirrors first, without duplicates. */
    public List<URI> urls(String taskName, DataFile file) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        add(out, config.get(taskName), file.name());
        add(out, env.get(variableFor(taskName)), file.name());
        add(out, config.get("*"), taskName + "/" + file.name());
        add(out, env.get("MONA_MIRROR"), taskName + "/" + file.name());
        out.addAll(file.urls());
        List<URI> uris = new ArrayList<>();
        for (String s : out) {
            try {
                uris.add(URI.create(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mirror address '" + s + "' for " + taskName + " is not a URI: "
                        + e.getMessage(), e);
            }
        }
        return uris;
    }

    private static void add(LinkedHashSet<String> out, String base, String path) {
        if (base != null && !base.isBlank()) {
            String b = base.strip();
            out.add(b.endsWith("/") ? b + path : b + "/" + path);
        }
    }
}
