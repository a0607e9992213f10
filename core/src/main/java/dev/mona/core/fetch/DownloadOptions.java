package dev.mona.core.fetch;

import java.time.Duration;

/**
 * How the {@link Downloader} talks to servers.
 *
 * @param connectTimeout  limit for opening a connection
 * @param responseTimeout limit for the response headers after the request is sent
 * @param stallTimeout    a body that delivers no byte for this long is abandoned (and resumed on the next attempt)
 * @param maxBytes        largest file accepted (from Content-Length and while streaming)
 * @param maxAttempts     attempts per address for retryable failures (1 = no retry)
 * @param initialBackoff  wait before the second attempt; doubled each time, with jitter
 * @param maxBackoff      cap on the wait between attempts
 */
public record DownloadOptions(Duration connectTimeout, Duration responseTimeout, Duration stallTimeout, long maxBytes,
                              int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** 30 s connect and response, 60 s stall, 64 GiB, 5 attempts, 1 s to 60 s backoff. */
    public static DownloadOptions defaults() {
        return new DownloadOptions(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60),
                64L << 30, 5, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public DownloadOptions {
        if (maxAttempts < 1 || maxBytes <= 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 1 and maxBytes > 0, got " + maxAttempts
                    + " and " + maxBytes);
        }
    }

    public DownloadOptions withStallTimeout(Duration d) {
        return new DownloadOptions(connectTimeout, responseTimeout, d, maxBytes, maxAttempts, initialBackoff, maxBackoff);
    }

    public DownloadOptions withMaxBytes(long b) {
        return new DownloadOptions(connectTimeout, responseTimeout, stallTimeout, b, maxAttempts, initialBackoff, maxBackoff);
    }

    public DownloadOptions withAttempts(int attempts, Duration initial) {
        return new DownloadOptions(connectTimeout, responseTimeout, stallTimeout, maxBytes, attempts, initial, maxBackoff);
    }

    public DownloadOptions withResponseTimeout(Duration d) {
        return new DownloadOptions(connectTimeout, d, stallTimeout, maxBytes, maxAttempts, initialBackoff, maxBackoff);
    }
}
