package dev.mona.core.fetch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches a task's files into the {@link ContentCache}: a cached, verified copy is used as is; otherwise the mirrors
 * and published addresses are tried in order ({@link Mirrors}), the bytes are checked against the catalogue's size
 * and SHA-256 (or, when the catalogue has none, the digest is recorded in the manifest at this first download and
 * every later read is verified against it), and stored under their digest.
 */
public final class DatasetFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetFetcher.class);

    private final ContentCache cache;
    private final Downloader downloader;
    private final Mirrors mirrors;
    private final SafeExtractor extractor;

    public DatasetFetcher(ContentCache cache, Downloader downloader, Mirrors mirrors, SafeExtractor extractor) {
        this.cache = cache;
        this.downloader = downloader;
        this.mirrors = mirrors;
        this.extractor = extractor;
    }

    /** Default cache, default download options, mirrors from the environment, default extraction limits. */
    public static DatasetFetcher defaults() {
        return new DatasetFetcher(ContentCache.defaultCache(), new Downloader(DownloadOptions.defaults()),
                Mirrors.fromEnvironment(Map.of()), new SafeExtractor(ExtractionLimits.defaults()));
    }

    /** This fetcher with another downloader (e.g. one that authenticates to a hub). */
    public DatasetFetcher withDownloader(Downloader other) {
        return new DatasetFetcher(cache, other, mirrors, extractor);
    }

    public ContentCache cache() {
        return cache;
    }

    /** All files of a task: file name to verified cached path. */
    public Map<String, Path> fetch(String taskName, List<DataFile> files) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (DataFile f : files) {
            out.put(f.name(), fetch(taskName, f));
        }
        return out;
    }

    /** One file of a task. */
    public Path fetch(String taskName, DataFile file) throws IOException {
        String key = taskName + "/" + file.name();
        var cached = cache.lookup(key, file.sha256());
        if (cached.isPresent()) {
            return cached.get();
        }
        String expected = file.sha256() != null ? file.sha256()
                : cache.entry(key).map(ContentCache.Entry::sha256).orElse(null);
        List<URI> urls = mirrors.urls(taskName, file);
        Path incoming = cache.incoming().resolve(taskName.replaceAll("[^A-Za-z0-9._-]", "_") + "--" + file.name());
        List<URI> remote = new ArrayList<>();
        for (URI u : urls) {
            if ("file".equalsIgnoreCase(u.getScheme())) {
                Path local = Path.of(u);
                if (Files.isRegularFile(local)) {
                    LOG.info("copying {} from the local mirror {}", key, local);
                    Files.copy(local, incoming, StandardCopyOption.REPLACE_EXISTING);
                    return verifiedPut(key, incoming, expected, file.sizeBytes(), u.toString());
                }
            } else {
                remote.add(u);
            }
        }
        if (remote.isEmpty()) {
            throw new IllegalStateException("no address for " + key + ": set " + Mirrors.variableFor(taskName)
                    + " or MONA_MIRROR to a mirror holding " + file.name());
        }
        String digest = downloader.downloadFirst(remote, incoming, expected, file.sizeBytes());
        Path blob = cache.put(key, incoming, remote.get(0).toString());
        LOG.info("{} cached as sha256 {}{}", key, digest, file.sha256() == null ? " (recorded at first download)" : "");
        return blob;
    }

    private Path verifiedPut(String key, Path file, String expected, long size, String source) throws IOException {
        if (size >= 0 && Files.size(file) != size) {
            long actual = Files.size(file);
            Files.deleteIfExists(file);
            throw new ChecksumMismatchException(key + " from " + source, "a file of " + size + " bytes",
                    "a file of " + actual + " bytes");
        }
        String actual = Digests.sha256(file);
        if (expected != null && !expected.equals(actual)) {
            Files.deleteIfExists(file);
            throw new ChecksumMismatchException(key + " from " + source, expected, actual);
        }
        return cache.put(key, file, source);
    }

    /**
     * Extracts a cached archive once into {@code <cache>/extracted/<digest>/} (safely, see {@link SafeExtractor}) and
     * returns that folder.
     */
    public Path extracted(Path blob) throws IOException {
        Path dir = cache.root().resolve("extracted").resolve(blob.getFileName().toString());
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return dir;
        }
        extractor.extract(blob, dir);
        Files.writeString(done, blob.getFileName().toString());
        return dir;
    }
}
