package dev.mona.cli;

import dev.mona.activities.RunConfigs;
import dev.mona.activities.stage.SourceStage;
import dev.mona.activities.stage.TaskStage;
import dev.mona.core.config.RunConfig;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.TransferRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every request passes before anything is submitted or written, in one place for {@code run}, {@code sweep}
 * and {@code demo}: the checks (task, overrides, source encoder, the sweep's size and name) and the canonical form
 * the run id is computed from, so that every spelling of the same request gets the same id and a retry attaches.
 * Canonical means: the task as the catalogue spells it (names match case-insensitively), the method as its enum,
 * the source encoder empty when it is the task's default ({@code --source minilm} on a 1-D task is the same run
 * as no {@code --source}), and each override's canonical value ({@code epochs= 03} is {@code epochs=3}); an override
 * that is unknown, malformed, out of range or does not apply is bad input. Also the checks of the ids and store keys
 * a user names in the other verbs.
 */
final class RequestChecks {
    private RequestChecks() {}

    /** Most runs in one sweep: a sweep does not continue-as-new, so its history grows with every child. */
    static final int MAX_SWEEP_RUNS = 10_000;
    /** Longest sweep name: it is part of the sweep id and of its store keys. */
    static final int MAX_SWEEP_NAME = 64;
    /** Longest run or sweep id accepted on the command line (mona's own ids are under 100 characters). */
    static final int MAX_ID = 255;
    /** Longest store key (S3's limit, in UTF-8 bytes). */
    static final int MAX_KEY_BYTES = 1024;

    private static final Pattern SWEEP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The run in canonical form; throws (bad input) when its task, overrides or source encoder is unknown. */
    static TransferRequest canonical(TransferRequest r) {
        RunConfig config = resolve(r);
        String task = TaskStage.describe(r.task()).name();
        TaskStage.check(task, config.integer("batch"), config.integer("limit"));
        return new TransferRequest(task, r.method(), r.seed(), source(r.source(), task),
                RunConfigs.canonical(r.overrides()), r.noCache(), r.tuning());
    }

    /**
     * Stores the spec of every spec task among {@code tasks} in the session's store, so that workers on other
     * machines resolve them (see {@link TaskStage#publish}); catalogue tasks need nothing.
     */
    static void publishSpecs(dev.mona.activities.store.ArtifactStore store, List<String> tasks) {
        for (String t : tasks) {
            if (TaskStage.specFile(t).isPresent()) {
                TaskStage.publish(store, t);
            }
        }
    }

    /** The run's resolved configuration (what {@code run --dry-run} shows); the checks of {@link #canonical}. */
    static RunConfig resolve(TransferRequest r) {
        TaskStage.describe(r.task());
        String encoder = SourceStage.choose(r.source(), r.task()).name();
        return RunConfigs.forSubmission(r.task(), r.method(), encoder, r.overrides());
    }

    /** The sweep in canonical form, every one of its runs checked; throws (bad input) naming what is wrong. */
    static SweepRequest canonical(SweepRequest r) {
        if (r.name().length() > MAX_SWEEP_NAME || !SWEEP_NAME.matcher(r.name()).matches()) {
            throw new SpecException("sweep name '" + abbreviate(r.name()) + "' (" + r.name().length() + " characters)"
                    + " must be 1 to " + MAX_SWEEP_NAME + " letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit: it is part of the sweep id and of its store keys");
        }
        int sources = r.source().contains("=") ? 1 : r.source().split(",").length;
        long runs = (long) r.tasks().size() * sources * r.methods().size() * r.seeds().size();
        if (runs > MAX_SWEEP_RUNS) {
            throw new SpecException("sweep '" + r.name() + "' has " + runs + " runs (" + r.tasks().size() + " tasks x "
                    + sources + " sources x " + r.methods().size() + " methods x " + r.seeds().size()
                    + " seeds); at most " + MAX_SWEEP_RUNS + " runs fit one sweep: split it into several");
        }
        List<String> tasks = new ArrayList<>();
        for (String t : r.tasks()) {
            tasks.add(TaskStage.describe(t).name());
        }
        SweepRequest c = new SweepRequest(r.name(), tasks, r.seeds(), r.methods(), sweepSources(r, tasks),
                RunConfigs.canonical(r.overrides()), r.maxConcurrent(), r.noCache(), r.tuning());
        // an override needs to apply to some run of the sweep only (a sweep over ft and mona may set align.steps)
        List<TransferRequest> children = c.runs();
        java.util.Set<String> checked = new java.util.HashSet<>();
        for (TransferRequest run : children) {
            RunConfig config = RunConfigs.forStage(run.task(), run.method(),
                    SourceStage.resolve(run.source(), run.task()), run.overrides());
            // a spec task's data, once per batch and limit
            if (checked.add(run.task() + " " + config.integer("batch") + " " + config.integer("limit"))) {
                TaskStage.check(run.task(), config.integer("batch"), config.integer("limit"));
            }
        }
        // each child gets the overrides that apply to it, so it is the same run as when submitted alone
        Map<String, List<String>> inapplicable = new java.util.TreeMap<>();
        for (String key : c.overrides().keySet()) {
            String why = null;
            boolean applies = false;
            for (TransferRequest run : children) {
                String whyNot = RunConfigs.whyNot(key, run.task(), run.method(),
                        SourceStage.resolve(run.source(), run.task()));
                if (whyNot == null) {
                    applies = true;
                } else {
                    why = whyNot;
                    List<String> keys = inapplicable.computeIfAbsent(SweepRequest.cell(run.task(), run.method(),
                            run.source()), k -> new ArrayList<>());
                    if (!keys.contains(key)) { // once per seed
                        keys.add(key);
                    }
                }
            }
            if (!applies) {
                throw new InvalidRequestException("configuration key '" + key + "' applies to no run of the sweep: "
                        + why);
            }
        }
        return c.leavingOut(inapplicable);
    }

    /**
     * The source encoder as the id sees it, decided here once ({@link SourceStage#choose}: the default depends on
     * which files are available, so workers must not decide it again): empty for the task's offline source (so
     * {@code --source minilm} on a 1-D task is the plain run), else the name.
     */
    private static String source(String requested, String task) {
        return SourceStage.canonical(SourceStage.choose(requested, task).name(), task);
    }

    /**
     * A sweep's source axis in canonical form. {@code source} is empty (each task's default, decided here as for a
     * single run), one name, or several separated by commas; each task runs with every listed source that fits its
     * inputs (a task none fits, or a source no task can use, is bad input). The result is empty or one name when
     * every task runs with the same single source (so a child keeps the id of the same run submitted alone), else
     * the per-task form {@code task=a|b;task2=c} that {@link SweepRequest#sourcesFor} reads.
     */
    private static String sweepSources(SweepRequest r, List<String> tasks) {
        Map<String, List<String>> per = new java.util.LinkedHashMap<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (String task : tasks) {
            List<String> requested = r.source().contains("=") ? r.sourcesFor(task)
                    : java.util.Arrays.stream(r.source().split(",", -1)).map(String::strip).toList();
            java.util.LinkedHashSet<String> fits = new java.util.LinkedHashSet<>();
            InvalidRequestException unfit = null;
            for (String name : requested) {
                try {
                    fits.add(source(name, task));
                    used.add(name.toLowerCase(java.util.Locale.ROOT));
                } catch (InvalidRequestException e) {
                    unfit = e;
                }
            }
            if (fits.isEmpty() || (requested.size() == 1 && unfit != null)) {
                throw unfit;
            }
            per.put(task, List.copyOf(fits));
        }
        if (!r.source().contains("=")) {
            for (String name : r.source().split(",", -1)) {
                if (!used.contains(name.strip().toLowerCase(java.util.Locale.ROOT))) {
                    throw new InvalidRequestException("source '" + name.strip() + "' of the sweep fits none of its "
                            + "tasks " + tasks);
                }
            }
        }
        java.util.Set<List<String>> distinct = new java.util.HashSet<>(per.values());
        if (distinct.size() == 1 && distinct.iterator().next().size() == 1) {
            return distinct.iterator().next().get(0);
        }
        StringBuilder b = new StringBuilder();
        per.forEach((task, names) -> b.append(b.length() == 0 ? "" : ";").append(task).append('=')
                .append(String.join("|", names)));
        return b.toString();
    }

    /** A run or sweep id named on the command line; throws (bad input) for one mona could not have made. */
    static String id(String id) {
        if (id.length() > MAX_ID || !ID.matcher(id).matches()) {
            throw new CliException(ExitCodes.BAD_INPUT, "'" + abbreviate(id) + "' is not a run or sweep id: ids are "
                    + "letters, digits, '.', '_' and '-' (at most " + MAX_ID + "), e.g. transfer-offline-dna-mona-s0-"
                    + "<digest>; see 'mona ls'");
        }
        return id;
    }

    /** A store key to download; throws (bad input) for an empty, relative, folder or over-long key. */
    static String key(String key) {
        if (key.isEmpty()) {
            throw new CliException(ExitCodes.BAD_INPUT, "empty key: name an object, e.g. runs/<run-id>/manifest.json "
                    + "(see 'mona artifacts ls')");
        }
        if (key.endsWith("/")) {
            throw new CliException(ExitCodes.BAD_INPUT, "key '" + abbreviate(key) + "' names a folder, not an object; "
                    + "list it with 'mona artifacts ls " + abbreviate(key) + "'");
        }
        return prefix(key);
    }

    /** A key prefix to list (empty: everything); throws (bad input) for a relative or over-long one. */
    static String prefix(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new CliException(ExitCodes.BAD_INPUT, "key '" + abbreviate(key) + "' is longer than S3's "
                    + MAX_KEY_BYTES + " bytes");
        }
        boolean relative = key.startsWith("/") || key.chars().anyMatch(Character::isISOControl)
                || List.of(key.split("/", -1)).stream().anyMatch(s -> s.equals(".") || s.equals(".."));
        if (relative) {
            throw new CliException(ExitCodes.BAD_INPUT, "key '" + abbreviate(key) + "' is not a store key: keys are "
                    + "relative paths like runs/<run-id>/manifest.json, without a leading '/', '.' or '..' segments "
                    + "or control characters (see 'mona artifacts ls')");
        }
        return key;
    }

    /** A value short enough to quote in a one-line message. */
    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 60) + "...";
    }
}
