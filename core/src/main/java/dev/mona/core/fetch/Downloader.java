package dev.mona.core.fetch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams a file over HTTP(S) into {@code target}, through {@code target.part}:
 * <ul>
 *   <li>a partial {@code .part} left by a cut connection is resumed with a {@code Range} request (a server that
 *       ignores ranges and answers 200 restarts it);</li>
 *   <li>connect and response-header timeouts, and a stall timeout on the body: no byte for
 *       {@link DownloadOptions#stallTimeout()} abandons the attempt, which is retried and resumes;</li>
 *   <li>retries with exponential backoff and jitter for connection errors, stalls, 429 and 5xx;
 *       404/410 is {@link RemoteNotFoundException} and other 4xx (e.g. the 403 of the retired NAS-Bench-360
 *       bucket) a non-retryable {@link DownloadException};</li>
 *   <li>a size cap ({@link DownloadOptions#maxBytes()}), and the expected size and SHA-256 when known: a mismatch
 *       deletes the bytes and throws {@link ChecksumMismatchException} naming both digests.</li>
 * </ul>
 * The target appears only once complete and verified (atomic rename).
 */
public final class Downloader {
    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final DownloadOptions options;
    private final HttpClient client;
    private final java.util.Map<String, String> authorization;
    private final HttpClient manualRedirects;
    private static final int MAX_REDIRECTS = 10;
    private static final java.util.Set<Integer> REDIRECTS = java.util.Set.of(301, 302, 303, 307, 308);

    public Downloader(DownloadOptions options) {
        this(options, java.util.Map.of());
    }

    private Downloader(DownloadOptions options, java.util.Map<String, String> authorization) {
        this.options = options;
        this.authorization = java.util.Map.copyOf(authorization);
        this.client = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.manualRedirects = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * This downloader, also sending {@code Authorization: value} to {@code host} (and to no other host: a token
     * for the Hugging Face hub must not reach a data mirror).
     */
    public Downloader withAuthorization(String host, String value) {
        java.util.Map<String, String> auth = new java.util.HashMap<>(authorization);
        auth.put(host.toLowerCase(java.util.Locale.ROOT), value);
        return new Downloader(options, auth);
    }

    /**
     * Downloads {@code url} to {@code target}.
     *
     * @param expectedSha256 lower-case hex digest, or null to skip verification (the caller records the digest)
     * @param expectedSize   size in bytes, or -1 when unknown
     * @return the SHA-256 of the complete file
     */
    public String download(URI url, Path target, String expectedSha256, long expectedSize) throws IOException {
        String expected = Digests.normalise(expectedSha256);
        if (expectedSize > options.maxBytes()) {
            throw tooLarge(url, expectedSize);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        DownloadException last = null;
        long backoff = options.initialBackoff().toMillis();
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            try {
                attemptOnce(url, part, expectedSize);
                return verifyAndMove(url, part, target, expected, expectedSize);
            } catch (DownloadException e) {
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
                if (attempt < options.maxAttempts()) {
                    long wait = Math.min(backoff, options.maxBackoff().toMillis());
                    wait += ThreadLocalRandom.current().nextLong(wait / 4 + 1);
                    LOG.warn("download of {} failed (attempt {}/{}): {}; retrying in {} ms", url, attempt,
                            options.maxAttempts(), e.getMessage(), wait);
                    sleep(wait);
                    backoff *= 2;
                }
            }
        }
        throw new DownloadException(url.toString(), last.status(), true, "giving up on " + url + " after "
                + options.maxAttempts() + " attempts: " + last.getMessage() + " (the partial file " + part
                + " is kept and resumed next time)", last);
    }

    /**
     * The response for {@code url} (from byte {@code have}). With credentials configured, redirects are followed
     * here so that the {@code Authorization} header goes to its own host only, never to the CDN a hub redirects to.
     */
    private HttpResponse<InputStream> send(URI url, long have) throws DownloadException {
        URI target = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(target).timeout(options.responseTimeout()).GET()
                    .header("User-Agent", "mona-downloader");
            if (have > 0) {
                rb.header("Range", "bytes=" + have + "-");
            }
            String auth = target.getHost() == null ? null
                    : authorization.get(target.getHost().toLowerCase(java.util.Locale.ROOT));
            if (auth != null) {
                rb.header("Authorization", auth);
            }
            HttpResponse<InputStream> response;
            try {
                response = (authorization.isEmpty() ? client : manualRedirects).send(rb.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new DownloadException(url.toString(), -1, true, url + ": no response within "
                        + options.responseTimeout(), e);
            } catch (IOException e) {
                throw new DownloadException(url.toString(), -1, true, url + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException(url.toString(), -1, false, "interrupted", e);
            }
            int status = response.statusCode();
            java.util.Optional<String> location = response.headers().firstValue("Location");
            if (authorization.isEmpty() || !REDIRECTS.contains(status) || location.isEmpty()) {
                return response;
            }
            try {
                response.body().close();
            } catch (IOException ignored) {
                // the redirect's own body is not needed
            }
            target = target.resolve(location.get());
        }
        throw new DownloadException(url.toString(), -1, false, url + ": more than " + MAX_REDIRECTS
                + " redirects", null);
    }

    private void attemptOnce(URI url, Path part, long expectedSize) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (expectedSize >= 0 && have > expectedSize) {
            Files.delete(part);
            have = 0;
        }
        if (expectedSize >= 0 && have == expectedSize && have > 0) {
            return;
        }
        HttpResponse<InputStream> response = send(url, have);
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            boolean append;
            if (status == 206) {
                long start = rangeStart(response, url);
                if (start != have) {
                    throw new DownloadException(url.toString(), status, true, url + " resumed at byte " + start
                            + " but " + have + " bytes are on disk", null);
                }
                append = true;
            } else if (status == 200) {
                append = false;
                if (have > 0) {
                    LOG.info("{} ignored the range request; restarting from byte 0", url);
                }
            } else if (status == 416 && have > 0) {
                // the part file already holds everything the server has, or more: verification decides
                LOG.info("{} answered 416 for bytes {}-: treating the partial file as complete", url, have);
                return;
            } else {
                throw statusError(url, status);
            }
            long total = totalLength(response, append ? have : 0);
            if (total > options.maxBytes()) {
                throw tooLarge(url, total);
            }
            if (expectedSize >= 0 && total >= 0 && total != expectedSize) {
                LOG.warn("{} announces {} bytes but the catalogue expects {}", url, total, expectedSize);
            }
            copyWithStallDetection(url, body, part, append, append ? have : 0);
        }
    }

    /** Copies the body in a worker thread while this thread watches for progress. */
    private void copyWithStallDetection(URI url, InputStream body, Path part, boolean append, long startAt)
            throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicLong written = new AtomicLong(startAt);
        AtomicBoolean abandoned = new AtomicBoolean();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mona-download");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Void> copy = worker.submit(() -> {
                StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
                try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        mode)) {
                    byte[] buf = new byte[1 << 16];
                    int r;
                    while ((r = body.read(buf)) >= 0) {
                        if (abandoned.get()) {
                            return null;
                        }
                        if (written.get() + r > options.maxBytes()) {
                            throw tooLarge(url, written.get() + r);
                        }
                        out.write(buf, 0, r);
                        written.addAndGet(r);
                        lastProgress.set(System.nanoTime());
                    }
                }
                return null;
            });
            long stallNanos = options.stallTimeout().toNanos();
            long tick = Math.max(10, Math.min(1000, options.stallTimeout().toMillis() / 4));
            while (true) {
                try {
                    copy.get(tick, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - lastProgress.get() > stallNanos) {
                        abandoned.set(true);
                        copy.cancel(true);
                        closeQuietly(body);
                        throw new DownloadException(url.toString(), -1, true, url + " stalled: no data for "
                                + options.stallTimeout() + " after " + written.get() + " bytes", null);
                    }
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof DownloadException d) {
                        throw d;
                    }
                    throw new DownloadException(url.toString(), -1, true, url + ": connection lost after "
                            + written.get() + " bytes: " + c, c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abandoned.set(true);
                    copy.cancel(true);
                    throw new DownloadException(url.toString(), -1, false, "interrupted", e);
                }
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private String verifyAndMove(URI url, Path part, Path target, String expected, long expectedSize)
            throws IOException {
        long size = Files.size(part);
        String actual = Digests.sha256(part);
        if (expectedSize >= 0 && size != expectedSize) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException(target.getFileName() + " from " + url, expected == null
                    ? "(unknown) of " + expectedSize + " bytes" : expected + " of " + expectedSize + " bytes",
                    actual + " of " + size + " bytes");
        }
        if (expected != null && !expected.equals(actual)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException(target.getFileName() + " from " + url, expected, actual);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("downloaded {} ({} bytes, sha256 {})", url, size, actual);
        return actual;
    }

    private static long rangeStart(HttpResponse<?> r, URI url) {
        Optional<String> cr = r.headers().firstValue("Content-Range");
        Matcher m = cr.map(CONTENT_RANGE::matcher).orElse(null);
        if (m == null || !m.matches()) {
            throw new DownloadException(url.toString(), 206, true, url + " sent 206 without a usable Content-Range: "
                    + cr.orElse("none"), null);
        }
        return Long.parseLong(m.group(1));
    }

    /** Full file length from Content-Range or Content-Length, or -1. */
    private static long totalLength(HttpResponse<?> r, long offset) {
        Optional<String> cr = r.headers().firstValue("Content-Range");
        if (cr.isPresent()) {
            Matcher m = CONTENT_RANGE.matcher(cr.get());
            if (m.matches() && !m.group(3).equals("*")) {
                return Long.parseLong(m.group(3));
            }
        }
        return r.headers().firstValueAsLong("Content-Length").stream().map(l -> l + offset).findFirst().orElse(-1L);
    }

    private static DownloadException statusError(URI url, int status) {
        if (status == 404 || status == 410) {
            return new RemoteNotFoundException(url.toString(), status);
        }
        if (status == 429 || status >= 500) {
            return new DownloadException(url.toString(), status, true, url + " answered " + status, null);
        }
        return new DownloadException(url.toString(), status, false, url + " answered " + status
                + (status == 403 ? " (access denied: the original NAS-Bench-360 bucket refuses downloads; set a mirror"
                + " with MONA_MIRROR or MONA_MIRROR_<TASK>)" : ""), null);
    }

    private DownloadException tooLarge(URI url, long size) {
        return new DownloadException(url.toString(), -1, false, url + " is " + size + " bytes, over the limit of "
                + options.maxBytes() + " bytes (raise DownloadOptions.maxBytes if this file is expected)", null);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the stream is being abandoned
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("", -1, false, "interrupted while waiting to retry", e);
        }
    }

    /** Tries each address in order; a non-retryable failure of one moves on to the next. */
    public String downloadFirst(List<URI> urls, Path target, String expectedSha256, long expectedSize)
            throws IOException {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no address to download " + target.getFileName() + " from");
        }
        DownloadException last = null;
        for (URI u : urls) {
            try {
                return download(u, target, expectedSha256, expectedSize);
            } catch (ChecksumMismatchException e) {
                throw e;
            } catch (DownloadException e) {
                LOG.warn("{}", e.getMessage());
                last = e;
            }
        }
        throw last;
    }
}
