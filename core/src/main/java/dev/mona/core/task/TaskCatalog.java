package dev.mona.core.task;

import dev.mona.core.data.TaskData;
import dev.mona.core.fetch.ChecksumMismatchException;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.fetch.DatasetFetcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The one catalogue of tasks: the 10 NAS-Bench-360 tasks ({@code nb360-*}), the 8 PDEBench tasks of ORCA/MoNA
 * ({@code pdebench-*}) and any tasks registered by others (the offline tasks, family {@code offline}).
 *
 * <h2>Registering tasks</h2>
 * Either call {@link #register(TaskSpec, TaskLoader)} once at start-up (e.g. from a static initialiser that the
 * CLI touches), or ship a {@link TaskProvider} listed in {@code META-INF/services/dev.mona.core.task.TaskProvider};
 * providers are loaded the first time the catalogue is used. Names are unique: registering a different spec under a
 * taken name throws. A task without files (the offline ones) gets {@link TaskFiles#inDirectory} of the data cache's
 * root folder and produces its data itself (generated, or read from installed packages).
 *
 * <h2>Published data</h2>
 * Each published task lists its files ({@link DataFile}): the published addresses, the size and SHA-256 when known
 * (otherwise the digest is recorded in the cache's manifest at the first download and verified after), and the
 * publisher's MD5 where PDEBench lists one ({@link PublishedTasks#md5}). The NAS-Bench-360 bucket now answers 403:
 * set {@code MONA_MIRROR} or {@code MONA_MIRROR_<TASK>} (see {@link dev.mona.core.fetch.Mirrors}).
 */
public final class TaskCatalog {

    /** A task and the loader that builds its splits. */
    public record Entry(TaskSpec spec, TaskLoader loader) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();
    private static boolean providersLoaded;

    static {
        for (Entry e : PublishedTasks.entries()) {
            ENTRIES.put(e.spec().name(), e);
        }
    }

    private TaskCatalog() {
    }

    /** Adds a task; a second registration of the same name must carry the same spec. */
    public static synchronized void register(TaskSpec spec, TaskLoader loader) {
        Entry old = ENTRIES.get(spec.name());
        if (old != null && !sameSpec(old.spec(), spec)) {
            throw new IllegalArgumentException("task name " + spec.name() + " is already registered by family "
                    + old.spec().family() + "; choose another name");
        }
        ENTRIES.put(spec.name(), new Entry(spec, loader));
    }

    /** Removes a task (tests register temporary ones). */
    static synchronized void unregister(String name) {
        ENTRIES.remove(name);
    }

    private static boolean sameSpec(TaskSpec a, TaskSpec b) {
        return a.name().equals(b.name()) && a.family().equals(b.family())
                && java.util.Arrays.equals(a.inputShape(), b.inputShape());
    }

    private static synchronized void loadProviders() {
        if (providersLoaded) {
            return;
        }
        providersLoaded = true;
        for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
            for (Entry e : p.tasks()) {
                register(e.spec(), e.loader());
            }
        }
    }

    /** All tasks in registration order. */
    public static synchronized List<TaskSpec> all() {
        loadProviders();
        return ENTRIES.values().stream().map(Entry::spec).toList();
    }

    /**
     * One row per task for listings ({@code mona tasks}, {@code --format json}): name, family, modality, metric,
     * offline, kind, loss, input shape, classes, encoder, files and description.
     */
    public static List<Map<String, Object>> summaries() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TaskSpec t : all()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name());
            row.put("family", t.family());
            row.put("modality", t.modality());
            row.put("metric", t.metric().name());
            row.put("offline", t.offline());
            row.put("kind", t.kind().name());
            row.put("loss", t.loss().name());
            row.put("inputShape", java.util.Arrays.stream(t.inputShape()).boxed().toList());
            row.put("classes", t.classes());
            row.put("encoder", t.encoder());
            row.put("files", t.files().stream().map(DataFile::name).toList());
            row.put("description", t.description());
            rows.add(row);
        }
        return rows;
    }

    /** Tasks of one family ({@code nb360}, {@code pdebench}, {@code offline}). */
    public static List<TaskSpec> family(String family) {
        return all().stream().filter(t -> t.family().equals(family)).toList();
    }

    /** A task by name; an unknown name is an {@link UnknownTaskException} listing the closest names. */
    public static TaskSpec get(String name) {
        return entry(name).spec();
    }

    /** A task's loader. */
    public static TaskLoader loader(String name) {
        return entry(name).loader();
    }

    public static synchronized Entry entry(String name) {
        loadProviders();
        Entry e = ENTRIES.get(name == null ? "" : name.strip().toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new UnknownTaskException(name, closest(name, 3));
        }
        return e;
    }

    /** Fetches a task's files (mirrors, cache, verification) and runs its loader. */
    public static LoadedTask load(String name, DatasetFetcher fetcher, LoadOptions options) throws IOException {
        Entry e = entry(name);
        TaskFiles files = e.spec().files().isEmpty() ? TaskFiles.inDirectory(fetcher.cache().root())
                : TaskFiles.fetched(fetch(e.spec(), fetcher), fetcher);
        return e.loader().load(e.spec(), files, options);
    }

    /** Runs a task's loader on files already in a folder under their catalogue names. */
    public static LoadedTask load(String name, Path folder, LoadOptions options) throws IOException {
        Entry e = entry(name);
        return e.loader().load(e.spec(), TaskFiles.inDirectory(folder), options);
    }

    /** The splits only (see {@link LoadedTask} for the target normaliser of Darcy and 1-D CFD and the scoring). */
    public static TaskData loadData(String name, DatasetFetcher fetcher, LoadOptions options) throws IOException {
        return load(name, fetcher, options).data();
    }

    /** Downloads (or finds in the cache) every file of a task, verifying the publisher's MD5 where known. */
    public static Map<String, Path> fetch(TaskSpec spec, DatasetFetcher fetcher) throws IOException {
        Map<String, Path> files = fetcher.fetch(spec.name(), spec.files());
        for (Map.Entry<String, Path> f : files.entrySet()) {
            if (!PublishedTasks.md5Matches(f.getKey(), f.getValue())) {
                // unpin the recorded digest too, so that a correct mirror can be fetched next time
                fetcher.cache().forget(spec.name() + "/" + f.getKey());
                throw new ChecksumMismatchException(spec.name() + "/" + f.getKey() + " (removed from the cache)",
                        "md5 " + PublishedTasks.md5(f.getKey()) + " (published by PDEBench)",
                        "md5 " + PublishedTasks.LAST_MD5.get());
            }
        }
        return files;
    }

    /** The {@code n} known names closest to {@code value} by edit distance (substring matches first). */
    static List<String> closest(String value, int n) {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>(ENTRIES.keySet());
        names.sort(Comparator.comparingInt((String s) -> s.contains(v) && !v.isEmpty() ? 0 : 1)
                .thenComparingInt(s -> Math.min(distance(v, s), distance(v, s.substring(s.indexOf('-') + 1))))
                .thenComparing(s -> s));
        return names.subList(0, Math.min(n, names.size()));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
