package dev.mona.activities.stage;

import dev.mona.activities.S3ProxyFixture;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.core.task.TaskCatalog;
import dev.mona.core.task.UnknownTaskException;
import dev.mona.core.task.spec.TaskSpecFile;
import dev.mona.workflows.InvalidRequestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spec task on a worker that never read the spec file: the canonical spec travels through the store (s3proxy over a
 * real socket) by its versioned name, and a tampered copy is refused.
 */
class SpecTaskStoreTest {
    @TempDir
    static Path dir;
    static S3ProxyFixture s3;
    static ArtifactStore store;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyFixture.start(Files.createDirectories(dir.resolve("blobs")));
        store = s3.store("specs");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static String csvTask(String name) throws Exception {
        StringBuilder b = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 12; i++) {
            b.append(i).append(',').append(i % 5).append(',').append(i % 2).append('\n');
        }
        Files.writeString(dir.resolve(name + ".csv"), b);
        return "name: " + name + "\nmodality: sequence\ninput: {shape: [1, 2]}\ntarget: {kind: classification, classes: 2}\n"
                + "train: {batch: 2}\ndata:\n  train: {file: " + name + ".csv, y: label}\n  test: {file: " + name
                + ".csv, y: label}\n";
    }

    @Test
    void aStoredSpecResolvesByVersionedNameAndByName() throws Exception {
        // parsed, not registered: this process plays a worker that only has the store
        TaskSpecFile f = TaskSpecFile.parse(csvTask("remote-a"), dir, "remote-a.yaml");
        String versioned = f.versionedName();
        assertThrows(UnknownTaskException.class, () -> TaskCatalog.get(versioned));
        store.ensureBucket();
        store.putText(TaskStage.specKey(versioned), f.canonicalYaml(), "application/yaml");
        store.putText(TaskStage.nameKey("remote-a"), versioned, "text/plain");

        assertEquals(versioned, TaskStage.ensure(store, versioned));
        assertEquals(versioned, TaskCatalog.get(versioned).name());
        assertEquals(12, TaskStage.load(versioned, 0, 0).data().test().size());
        assertEquals(versioned, TaskStage.ensure(store, "remote-a"));
        // catalogue names and names nobody stored pass through to the catalogue
        assertEquals("offline-dna", TaskStage.ensure(store, "offline-dna"));
        assertEquals("nobody-stored-this", TaskStage.ensure(store, "nobody-stored-this"));
    }

    @Test
    void dataFilesInTheStoreAreFetchedByDigest() throws Exception {
        csvTask("remote-c");
        byte[] csv = Files.readAllBytes(dir.resolve("remote-c.csv"));
        String sha = dev.mona.core.fetch.Digests.sha256(csv);
        store.ensureBucket();
        // another bucket of the same endpoint, read with the store's credentials
        ArtifactStore data = store.inBucket("user-data");
        data.ensureBucket();
        data.put("waves/c.csv", csv, "text/csv");
        String yaml = "name: remote-c\nmodality: sequence\ninput: {shape: [1, 2]}\n"
                + "target: {kind: classification, classes: 2}\ntrain: {batch: 2}\ndata:\n"
                + "  train: {file: 's3://user-data/waves/c.csv', sha256: '" + sha + "', y: label}\n"
                + "  test: {file: 's3://user-data/waves/c.csv', sha256: '" + sha + "', y: label}\n";
        InvalidRequestException noSha = assertThrows(InvalidRequestException.class, () -> TaskStage.describe(
                write("remote-c.yaml", yaml.replace(", sha256: '" + sha + "'", ""))));
        assertTrue(noSha.getMessage().contains("'s3://user-data/waves/c.csv' needs sha256"), noSha.getMessage());

        String task = TaskStage.describe(write("remote-c.yaml", yaml)).name();
        assertEquals(1, TaskStage.storeFiles(task).size());
        TaskStage.fetchFromStore(store, task);
        assertEquals(12, TaskStage.load(task, 0, 0).data().test().size());

        // a changed object is refused by its digest; a missing one is named
        String other = TaskStage.describe(write("remote-c.yaml", yaml.replace(sha, "0".repeat(64)))).name();
        InvalidRequestException wrong = assertThrows(InvalidRequestException.class,
                () -> TaskStage.fetchFromStore(store, other));
        assertTrue(wrong.getMessage().contains("data file s3://user-data/waves/c.csv has sha256 " + sha
                + " but the spec says " + "0".repeat(64) + "; replace the object or update sha256"), wrong.getMessage());
        // (content already cached under its digest is not read again, whatever the object's name)
        String gone = TaskStage.describe(write("remote-c.yaml", yaml.replace("c.csv", "gone.csv")
                .replace(sha, "1".repeat(64)))).name();
        InvalidRequestException missing = assertThrows(InvalidRequestException.class,
                () -> TaskStage.fetchFromStore(store, gone));
        assertTrue(missing.getMessage().contains("data file s3://user-data/waves/gone.csv does not exist on the "
                + "store's endpoint"), missing.getMessage());
    }

    private static String write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void aTamperedStoredSpecIsRefused() throws Exception {
        TaskSpecFile f = TaskSpecFile.parse(csvTask("remote-b"), dir, "remote-b.yaml");
        store.ensureBucket();
        store.putText(TaskStage.specKey(f.versionedName()), f.canonicalYaml().replace("classes: 2", "classes: 3"),
                "application/yaml");
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> TaskStage.ensure(store, f.versionedName()));
        assertTrue(e.getMessage().contains("the stored spec is version remote-b@"), e.getMessage());
    }
}
