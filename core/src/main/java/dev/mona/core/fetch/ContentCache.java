package dev.mona.core.fetch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A content-addressed file cache: every file is stored once under {@code blobs/sha256/<first two>/<digest>}, and
 * {@code manifest.json} maps names (e.g. {@code nb360-darcy/piececonst_r421_N1024_smooth1.mat}) to digests. A
 * digest recorded at first download is what later reads are verified against, so a file the catalogue has no
 * checksum for is still pinned after its first download. Writes to the manifest are atomic and, across processes,
 * serialised by a file lock. Default root: {@code $MONA_CACHE}, else {@code ~/.cache/mona/data}.
 */
public final class ContentCache {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One manifest entry. */
    public record Entry(String sha256, long size, String source, String recordedAt) {
    }

    private final Path root;

    public ContentCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The cache at {@code $MONA_CACHE} (a system property of that name first) or {@code ~/.cache/mona/data}. */
    public static ContentCache defaultCache() {
        String env = System.getProperty("MONA_CACHE", System.getenv("MONA_CACHE"));
        Path p = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "mona", "data");
        return new ContentCache(p);
    }

    public Path root() {
        return root;
    }

    /** Where a blob with this digest lives (whether or not it exists). */
    public Path blob(String sha256) {
        String d = Digests.normalise(sha256);
        return root.resolve("blobs").resolve("sha256").resolve(d.substring(0, 2)).resolve(d);
    }

    /** A scratch folder on the same file system, for downloads in progress (their .part files survive restarts). */
    public Path incoming() throws IOException {
        return Files.createDirectories(root.resolve("incoming"));
    }

    /** The manifest entry of a name, if any. */
    public synchronized Optional<Entry> entry(String name) throws IOException {
        return Optional.ofNullable(readManifest().get(name));
    }

    /**
     * The cached file for a name, verified: its digest must equal {@code expectedSha256} when given, else the digest
     * recorded at first download. A blob whose bytes no longer match is deleted and reported.
     */
    public Optional<Path> lookup(String name, String expectedSha256) throws IOException {
        String expected = Digests.normalise(expectedSha256);
        Optional<Entry> e = entry(name);
        String digest = expected != null ? expected : e.map(Entry::sha256).orElse(null);
        if (digest == null) {
            return Optional.empty();
        }
        Path blob = blob(digest);
        if (!Files.isRegularFile(blob)) {
            return Optional.empty();
        }
        String actual = Digests.sha256(blob);
        if (!actual.equals(digest)) {
            Files.deleteIfExists(blob);
            throw new ChecksumMismatchException(name + " (cached at " + blob + ", now deleted)", digest, actual);
        }
        if (e.isEmpty() || !e.get().sha256().equals(digest)) {
            record(name, digest, Files.size(blob), "cache");
        }
        return Optional.of(blob);
    }

    /**
     * Moves a complete file into the cache under its digest and records {@code name -> digest}. If the manifest
     * already pins another digest for the name, the file is rejected.
     *
     * @return the blob path
     */
    public Path put(String name, Path file, String source) throws IOException {
        String digest = Digests.sha256(file);
        Optional<Entry> pinned = entry(name);
        if (pinned.isPresent() && !pinned.get().sha256().equals(digest)) {
            Files.deleteIfExists(file);
            throw new ChecksumMismatchException(name + " from " + source + " (digest recorded at first download)",
                    pinned.get().sha256(), digest);
        }
        Path blob = blob(digest);
        Files.createDirectories(blob.getParent());
        if (Files.exists(blob)) {
            Files.delete(file);
        } else {
            Files.move(file, blob, StandardCopyOption.ATOMIC_MOVE);
        }
        record(name, digest, Files.size(blob), source);
        return blob;
    }

    /**
     * Removes a name from the manifest and deletes its blob (when no other name uses it): for files found wrong
     * after caching, e.g. against a publisher's MD5, so that the next fetch starts clean.
     */
    public void forget(String name) throws IOException {
        Optional<Entry> e = entry(name);
        if (e.isEmpty()) {
            return;
        }
        synchronized (this) {
            try (FileChannel lockFile = FileChannel.open(root.resolve("manifest.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                Map<String, Entry> m = readManifest();
                m.remove(name);
                writeManifest(m);
                if (m.values().stream().noneMatch(x -> x.sha256().equals(e.get().sha256()))) {
                    Files.deleteIfExists(blob(e.get().sha256()));
                }
            }
        }
    }

    private void writeManifest(Map<String, Entry> m) throws IOException {
        Path tmp = root.resolve("manifest.json.tmp");
        JSON.writeValue(tmp.toFile(), m);
        Files.move(tmp, root.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private void record(String name, String digest, long size, String source) throws IOException {
        Files.createDirectories(root);
        synchronized (this) {
            try (FileChannel lockFile = FileChannel.open(root.resolve("manifest.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                Map<String, Entry> m = readManifest();
                m.put(name, new Entry(digest, size, source, Instant.now().toString()));
                writeManifest(m);
            }
        }
    }

    /** name -> entry, sorted by name. */
    public synchronized Map<String, Entry> manifest() throws IOException {
        return readManifest();
    }

    private Map<String, Entry> readManifest() throws IOException {
        Path m = root.resolve("manifest.json");
        if (!Files.exists(m)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(m.toFile(), new TypeReference<Map<String, Entry>>() {
            }));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new dev.mona.core.io.formats.CorruptDataException(m.toString(), "JSON", "a manifest of name ->"
                    + " {sha256, size, source, recordedAt}", e.getOriginalMessage(), e);
        }
    }
}
