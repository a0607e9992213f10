package dev.mona.core.fetch;

/**
 * A download failed. {@link #retryable()} says whether trying again can help: connection errors, stalls, 5xx and 429
 * can; a missing file, a refused request, an over-size file and wrong bytes cannot (inside a workflow those are
 * non-retryable failures).
 */
public class DownloadException extends RuntimeException {
    private final String url;
    private final int status;
    private final boolean retryable;

    /**
     * @param url       the address tried
     * @param status    HTTP status, or -1 when none was received
     * @param retryable whether a later attempt may succeed
     */
    public DownloadException(String url, int status, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.status = status;
        this.retryable = retryable;
    }

    public String url() {
        return url;
    }

    /** HTTP status, or -1 when the failure happened before or outside a response. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }
}
