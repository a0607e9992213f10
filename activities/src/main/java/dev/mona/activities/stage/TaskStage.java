package dev.mona.activities.stage;

import dev.mona.activities.store.ArtifactNotFoundException;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.S3Location;
import dev.mona.core.fetch.ContentCache;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.fetch.Digests;
import dev.mona.core.task.LoadedTask;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.task.TaskFiles;
import dev.mona.core.task.spec.SpecTaskLoader;
import dev.mona.core.task.spec.TaskSpecException;
import dev.mona.core.task.spec.TaskSpecFile;
import dev.mona.core.task.LoadOptions;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.task.UnknownTaskException;
import dev.mona.workflows.InvalidRequestException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fetch stage: the task catalogue and the loading of a task's splits. Catalogue tasks (published NAS-Bench-360 and
 * PDEBench tasks, offline tasks) come from core's {@link TaskCatalog}, and so do spec tasks (the user's own data,
 * {@link TaskSpecFile}): a spec file's path resolves to its versioned name ({@code ecg@3fa2c1d9e0}), and
 * {@link #publish} stores the canonical spec under {@code tasks/specs/<versioned name>.yaml} with the pointer
 * {@code tasks/names/<name>}, from which {@link #ensure} makes it known to any process with the store (every
 * activity calls it with the task of its request).
 */
public final class TaskStage {
    private TaskStage() {}

    /** Names the catalogue code in stage-cache keys; v2: the stored data set carries its evaluation protocol. */
    public static final String IMPLEMENTATION = "core:task-catalog-v2";

    /** One catalogue entry, as {@code mona tasks} shows it. */
    public record TaskListing(String name, String family, String modality, List<Long> inputShape, int classes,
                              String kind, String metric, String encoder, boolean offline, String description) {
    }

    public static List<TaskListing> catalogue() {
        List<TaskListing> out = new ArrayList<>();
        for (TaskSpec t : TaskCatalog.all()) {
            out.add(listing(t));
        }
        return out;
    }

    /** Store key of a spec task's canonical spec. */
    public static String specKey(String versionedName) {
        return "tasks/specs/" + versionedName + ".yaml";
    }

    /** Store key of the pointer from a spec task's name to its latest versioned name. */
    public static String nameKey(String name) {
        return "tasks/names/" + name;
    }

    /**
     * Makes a spec task stored by {@link #publish} known to this process's catalogue: by its versioned name (as
     * requests carry it), or by its name (the latest version added). Catalogue tasks, spec file paths and names the
     * store does not hold are left to the catalogue (which names an unknown task). Returns the catalogue name.
     */
    public static String ensure(ArtifactStore store, String task) {
        String name = task == null ? "" : task.strip();
        if (TaskSpecFile.isSpecPath(name) || known(name)
                || !name.matches("[a-z0-9][a-z0-9._-]*(@[0-9a-f]{10})?")) {
            return name;
        }
        String versioned = name;
        if (!name.contains("@")) {
            if (!store.exists(nameKey(name))) {
                return name;
            }
            versioned = store.getText(nameKey(name)).strip();
        }
        String key = specKey(versioned);
        if (!store.exists(key)) {
            return name;
        }
        TaskSpecFile f = userErrors(() -> TaskSpecFile.parse(store.getText(key), Path.of("/"), key));
        if (!f.versionedName().equals(versioned)) {
            throw new InvalidRequestException(key + ": the stored spec is version " + f.versionedName() + ", not "
                    + versioned + "; add the task again with 'mona tasks add'");
        }
        TaskCatalog.register(f.spec(), f.loader());
        return versioned;
    }

    private static boolean known(String name) {
        try {
            TaskCatalog.get(name);
            return true;
        } catch (UnknownTaskException e) {
            return false;
        }
    }

    /** The spec file of a spec task, empty for a catalogue task. */
    public static Optional<TaskSpecFile> specFile(String task) {
        return TaskCatalog.entry(spec(task).name()).loader() instanceof SpecTaskLoader l
                ? Optional.of(l.file()) : Optional.empty();
    }

    /**
     * Everything wrong with a spec task's data before a run is submitted (shapes, dtypes, NaN/Inf, labels, sizes),
     * as a typed bad-request error, for a run with {@code batch} samples per batch and at most {@code limit} per
     * split (0: all); its warnings (train/test overlap, classes missing from train). Nothing for a catalogue task.
     */
    public static List<String> check(String task, int batch, int limit) {
        Optional<TaskSpecFile> f = specFile(task);
        if (f.isEmpty()) {
            return List.of();
        }
        return userErrors(() -> {
            TaskSpec s = f.get().spec();
            DatasetFetcher fetcher = DatasetFetcher.defaults();
            TaskFiles files = s.files().isEmpty() ? TaskFiles.inDirectory(fetcher.cache().root())
                    : TaskFiles.fetched(TaskCatalog.fetch(s, fetcher), fetcher);
            return f.get().loader().check(files, 0, batch, limit).warnings();
        });
    }

    /** The data files of a spec task that are objects of the store's endpoint ({@code s3://}); empty otherwise. */
    public static List<DataFile> storeFiles(String task) {
        return specFile(task).map(f -> f.spec().files().stream()
                .filter(d -> d.urls().get(0).startsWith(TaskSpecFile.S3)).toList()).orElse(List.of());
    }

    /**
     * Copies a spec task's {@code s3://} data files from the store's endpoint into this machine's content cache,
     * each verified against the spec's sha256, where core's fetch then finds them; files already cached are not
     * read again. A missing object or a different digest is the user's error, naming the object and the fix.
     */
    public static void fetchFromStore(ArtifactStore store, String task) {
        List<DataFile> files = storeFiles(task);
        if (files.isEmpty()) {
            return;
        }
        String name = spec(task).name();
        userErrors(() -> {
            ContentCache cache = DatasetFetcher.defaults().cache();
            for (DataFile f : files) {
                String key = name + "/" + f.name();
                if (cache.lookup(key, f.sha256()).isPresent()) {
                    continue;
                }
                S3Location at = S3Location.parse(f.urls().get(0), "data file");
                byte[] bytes;
                try {
                    bytes = store.inBucket(at.bucket()).get(at.key());
                } catch (ArtifactNotFoundException e) {
                    throw new InvalidRequestException("task " + name + ": data file " + at.uri() + " does not exist "
                            + "on the store's endpoint; upload it or fix the spec's file");
                }
                String actual = Digests.sha256(bytes);
                if (!actual.equals(f.sha256())) {
                    throw new InvalidRequestException("task " + name + ": data file " + at.uri() + " has sha256 "
                            + actual + " but the spec says " + f.sha256() + "; replace the object or update sha256");
                }
                Path incoming = cache.incoming().resolve(f.name() + ".part");
                Files.write(incoming, bytes);
                cache.put(key, incoming, at.uri());
            }
            return null;
        });
    }

    /** Stores a spec task's canonical spec and points its name at it; returns the versioned name. */
    public static String publish(ArtifactStore store, String task) {
        TaskSpecFile f = specFile(task).orElseThrow(() -> new InvalidRequestException("task " + task
                + " is a catalogue task, not a task spec file"));
        store.ensureBucket();
        store.putText(specKey(f.versionedName()), f.canonicalYaml(), "application/yaml");
        store.putText(nameKey(f.baseName()), f.versionedName(), "text/plain");
        return f.versionedName();
    }

    private interface Check<T> {
        T run() throws IOException;
    }

    private static <T> T userErrors(Check<T> c) {
        try {
            return c.run();
        } catch (TaskSpecException e) {
            throw new InvalidRequestException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Core's specification of a catalogue task. */
    public static TaskSpec spec(String task) {
        try {
            return TaskCatalog.get(task);
        } catch (UnknownTaskException e) {
            throw new InvalidRequestException(e.getMessage() + " (see 'mona tasks')");
        } catch (TaskSpecException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** The catalogue entry, or a typed error naming the task and the known ones. */
    public static TaskListing describe(String task) {
        try {
            return listing(TaskCatalog.get(task));
        } catch (TaskSpecException e) {
            throw new InvalidRequestException(e.getMessage());
        } catch (UnknownTaskException e) {
            throw new InvalidRequestException("unknown task '" + task + "'; known tasks: " + String.join(", ",
                    catalogue().stream().map(TaskListing::name).toList()) + " (see 'mona tasks')");
        }
    }

    /** The splits of {@code task} for {@code seed}, with what its evaluation protocol needs. */
    public static LoadedTask load(String task, int limit, long seed) {
        describe(task);
        try {
            return TaskCatalog.load(task, DatasetFetcher.defaults(),
                    new LoadOptions(seed, 0.1, limit));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load task " + task + ": " + e.getMessage(), e);
        }
    }

    private static TaskListing listing(TaskSpec t) {
        return new TaskListing(t.name(), t.family(), t.modality(), Arrays.stream(t.inputShape()).boxed().toList(),
                t.classes(), t.kind().name(), t.metric().name(), SourceStage.encoderFor(t), t.offline(),
                t.description());
    }
}
