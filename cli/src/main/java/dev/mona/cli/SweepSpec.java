package dev.mona.cli;

import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.RetryTuning;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.TransferMethod;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sweep specification (YAML):
 * <pre>
 * name: demo                          # part of the sweep id: 1-64 letters, digits, '.', '_', '-'
 * tasks: [offline-spoken-digits, offline-pde-darcy]
 * methods: [ft, emb, orca, mona]
 * seeds: [0, 1]
 * source: ""                          # optional: source encoders, comma-separated (an axis), empty for
 *                                     # each task's default (naming the default of every task is the same
 *                                     # sweep as leaving it empty)
 * maxConcurrent: 2                    # optional: runs in flight at once (default 2)
 * config: {epochs: 3, lr: 0.05}       # optional: overrides (mona tasks --keys), each applying to some run
 * </pre>
 * A sweep holds at most {@link RequestChecks#MAX_SWEEP_RUNS} runs (tasks x methods x seeds). Everything is checked
 * before anything is submitted.
 */
final class SweepSpec {
    private static final Set<String> KEYS = Set.of("name", "tasks", "methods", "seeds", "source", "maxConcurrent",
            "config");

    private SweepSpec() {}

    static SweepRequest read(Path file, boolean noCache, RetryTuning tuning) {
        Object doc;
        try {
            doc = new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new SpecException("cannot read sweep spec " + file + ": " + e.getMessage());
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark();
            throw new SpecException("sweep spec " + file + " is not valid YAML: " + (at == null ? ""
                    : "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ": ") + e.getProblem()
                    + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
        } catch (YAMLException e) {
            throw new SpecException("sweep spec " + file + " is not valid YAML: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new SpecException("sweep spec " + file + " must be a YAML mapping with keys " + KEYS);
        }
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new SpecException("sweep spec " + file + ": unknown key '" + k + "'; allowed: " + new
                        java.util.TreeSet<>(KEYS));
            }
        }
        String name = string(file, m, "name", "sweep");
        List<String> tasks = list(file, m, "tasks");
        List<TransferMethod> methods = new ArrayList<>();
        for (String s : list(file, m, "methods")) {
            methods.add(TransferMethod.parse(s));
        }
        List<Long> seeds = new ArrayList<>();
        for (String s : list(file, m, "seeds")) {
            try {
                seeds.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new SpecException("sweep spec " + file + ": seed '" + s + "' is not a whole number");
            }
        }
        Map<String, String> config = new TreeMap<>();
        Object c = m.get("config");
        if (c != null) {
            if (!(c instanceof Map<?, ?> cm)) {
                throw new SpecException("sweep spec " + file + ": 'config' must be a mapping (key: value)");
            }
            cm.forEach((k, v) -> config.put(String.valueOf(k), String.valueOf(v)));
        }
        int max;
        try {
            max = Integer.parseInt(string(file, m, "maxConcurrent", "2"));
        } catch (NumberFormatException e) {
            throw new SpecException("sweep spec " + file + ": maxConcurrent must be a whole number");
        }
        try {
            return new SweepRequest(name, tasks, seeds, methods, string(file, m, "source", ""), config, max, noCache,
                    tuning);
        } catch (InvalidRequestException e) {
            throw new SpecException("sweep spec " + file + ": " + e.getMessage());
        }
    }

    private static String string(Path file, Map<?, ?> m, String key, String dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Map || v instanceof List) {
            throw new SpecException("sweep spec " + file + ": '" + key + "' must be a single value");
        }
        return String.valueOf(v);
    }

    private static List<String> list(Path file, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new SpecException("sweep spec " + file + ": missing '" + key + "' (a list, e.g. " + key + ": [a, b])");
        }
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        } else {
            out.add(String.valueOf(v));
        }
        if (out.isEmpty()) {
            throw new SpecException("sweep spec " + file + ": '" + key + "' is empty");
        }
        return out;
    }
}
