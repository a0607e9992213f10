package dev.mona.core.pretrained;

import dev.mona.core.fetch.ContentCache;
import dev.mona.core.fetch.DataFile;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.fetch.DownloadOptions;
import dev.mona.core.fetch.Downloader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files of a Hugging Face model repository at one revision ({@code config.json}, {@code model.safetensors},
 * {@code tokenizer.json}), fetched through the {@link DatasetFetcher} into mona's content cache: each file is
 * stored under its SHA-256, recorded at the first download and verified at every later read. Where from, in order:
 * <ol>
 *   <li>{@code MONA_HF_ENDPOINT} (else {@code HF_ENDPOINT}) naming a local directory: {@code DIR/ORG/NAME/FILE}
 *       (offline);</li>
 *   <li>an existing Hugging Face cache: {@code $HF_HOME/hub/models--ORG--NAME/snapshots/COMMIT/FILE}, COMMIT the
 *       revision itself or what {@code refs/REVISION} names ({@code HF_HOME} defaults to
 *       {@code ~/.cache/huggingface}; offline);</li>
 *   <li>the endpoint ({@link HfCheckpoint#endpoint()}, default {@value HfCheckpoint#DEFAULT_ENDPOINT}):
 *       {@code ENDPOINT/ORG/NAME/resolve/REVISION/FILE}, with {@code HF_TOKEN} sent as a bearer token to the
 *       endpoint's host only.</li>
 * </ol>
 */
public final class HfFiles {
    /** Access token for gated or private repositories (environment variable or system property). */
    public static final String TOKEN_ENV = "HF_TOKEN";
    /** Root of the Hugging Face tools' cache (environment variable or system property). */
    public static final String HF_HOME_ENV = "HF_HOME";

    private HfFiles() {}

    /**
     * Fetched files of one repository revision.
     *
     * @param repo     repository id
     * @param revision revision asked for
     * @param files    file name to its verified copy in the content cache
     * @param sha256   file name to its SHA-256
     * @param origins  file name to where it was first fetched from
     */
    public record Fetched(String repo, String revision, Map<String, Path> files, Map<String, String> sha256,
                          Map<String, String> origins) {
        /** The cached copy of {@code name}. */
        public Path file(String name) {
            Path p = files.get(name);
            if (p == null) {
                throw new IllegalArgumentException(name + " was not fetched from " + repo);
            }
            return p;
        }
    }

    /** The content-cache key prefix ("task" of the fetcher) of a repository revision. */
    public static String cacheTask(String repo, String revision) {
        return "hf/" + repo + "@" + revision;
    }

    /** Fetches {@code names} of {@code repo} at {@code revision}; a file that is nowhere is a typed error. */
    public static Fetched fetch(String repo, String revision, List<String> names, DatasetFetcher fetcher)
            throws IOException {
        String endpoint = HfCheckpoint.endpoint();
        DatasetFetcher f = fetcher;
        String token = setting(TOKEN_ENV);
        if (token != null && isRemote(endpoint)) {
            f = fetcher.withDownloader(new Downloader(DownloadOptions.defaults())
                    .withAuthorization(URI.create(endpoint).getHost(), "Bearer " + token));
        }
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        String task = cacheTask(repo, revision);
        for (String name : names) {
            if (!isRemote(endpoint) && !Files.isRegularFile(localDirectory(endpoint).resolve(repo).resolve(name))) {
                throw new SourceFilesMissingException(repo + ": " + name + " is not in the local directory "
                        + localDirectory(endpoint).resolve(repo) + " (" + HfCheckpoint.ENDPOINT_ENV + "="
                        + endpoint + "); copy the repository's files there or unset the variable");
            }
            Path p = f.fetch(task, new DataFile(name, urls(endpoint, repo, revision, name), -1, null));
            ContentCache.Entry e = f.cache().entry(task + "/" + name).orElseThrow();
            files.put(name, p);
            digests.put(name, e.sha256());
            origins.put(name, e.source());
        }
        return new Fetched(repo, revision, files, digests, origins);
    }

    /** Addresses of one file, local ones first. */
    static List<String> urls(String endpoint, String repo, String revision, String name) {
        List<String> out = new ArrayList<>();
        if (!isRemote(endpoint)) {
            out.add(localDirectory(endpoint).resolve(repo).resolve(name).toUri().toString());
            return out;
        }
        snapshot(repo, revision).map(s -> s.resolve(name)).filter(Files::isRegularFile)
                .ifPresent(p -> out.add(p.toUri().toString()));
        out.add(endpoint + "/" + repo + "/resolve/" + revision + "/" + name);
        return out;
    }

    /**
     * Where all of {@code names} can be had without guessing at the network, or empty: already in the content
     * cache, in a local-directory endpoint, in the Hugging Face cache, or from an endpoint the user set
     * ({@code MONA_HF_ENDPOINT} / {@code HF_ENDPOINT}). The default source of a task depends on this, so it only
     * looks at files and settings, never at whether a server answers.
     */
    public static Optional<String> availability(String repo, String revision, List<String> names,
                                                ContentCache cache) {
        try {
            String task = cacheTask(repo, revision);
            boolean cached = true;
            for (String n : names) {
                Optional<ContentCache.Entry> e = cache.entry(task + "/" + n);
                cached &= e.isPresent() && Files.isRegularFile(cache.blob(e.get().sha256()));
            }
            if (cached) {
                return Optional.of("its files are in mona's content cache " + cache.root());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the content cache " + cache.root() + ": " + e.getMessage(), e);
        }
        String endpoint = HfCheckpoint.endpoint();
        if (!isRemote(endpoint)) {
            Path dir = localDirectory(endpoint).resolve(repo);
            return names.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)))
                    ? Optional.of("its files are in the local directory " + dir) : Optional.empty();
        }
        Optional<Path> snap = snapshot(repo, revision);
        if (snap.isPresent() && names.stream().allMatch(n -> Files.isRegularFile(snap.get().resolve(n)))) {
            return Optional.of("its files are in the Hugging Face cache " + snap.get());
        }
        for (String key : List.of(HfCheckpoint.ENDPOINT_ENV, HfCheckpoint.HF_ENDPOINT_ENV)) {
            if (setting(key) != null) {
                return Optional.of(key + "=" + endpoint + " is set (downloaded once, then cached)");
            }
        }
        return Optional.empty();
    }

    /** Why {@link #availability} is empty, for the log and the manifest. */
    public static String unavailableReason(String repo, String revision) {
        return repo + "@" + revision + " is not in mona's content cache nor in the Hugging Face cache "
                + hubCache().resolve(repoFolder(repo)) + ", and neither " + HfCheckpoint.ENDPOINT_ENV + " nor "
                + HfCheckpoint.HF_ENDPOINT_ENV + " is set";
    }

    /** The snapshot folder of {@code revision} in the Hugging Face cache, when there is one. */
    static Optional<Path> snapshot(String repo, String revision) {
        Path root = hubCache().resolve(repoFolder(repo));
        String commit = revision;
        if (!revision.matches("[0-9a-f]{40}")) {
            Path ref = root.resolve("refs").resolve(revision);
            if (!Files.isRegularFile(ref)) {
                return Optional.empty();
            }
            try {
                commit = Files.readString(ref).strip();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Path snap = root.resolve("snapshots").resolve(commit);
        return Files.isDirectory(snap) ? Optional.of(snap) : Optional.empty();
    }

    private static String repoFolder(String repo) {
        return "models--" + repo.replace("/", "--");
    }

    private static Path hubCache() {
        String home = setting(HF_HOME_ENV);
        Path root = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "huggingface");
        return root.resolve("hub");
    }

    private static boolean isRemote(String endpoint) {
        return endpoint.startsWith("http://") || endpoint.startsWith("https://");
    }

    private static Path localDirectory(String endpoint) {
        return endpoint.startsWith("file:") ? Path.of(URI.create(endpoint)) : Path.of(endpoint);
    }

    private static String setting(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            v = System.getenv(key);
        }
        return v == null || v.isBlank() ? null : v.strip();
    }
}
