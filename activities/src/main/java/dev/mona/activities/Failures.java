package dev.mona.activities;

import dev.mona.activities.store.StorageAccessException;
import dev.mona.core.UserError;
import dev.mona.core.fetch.DownloadException;
import dev.mona.workflows.FailureMessages;
import dev.mona.workflows.InvalidRequestException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The failure taxonomy of every stage. Errors a user caused ({@link UserError}, {@link InvalidRequestException})
 * become non-retryable failures whose type names their kind ({@link FailureMessages#USER_ERROR_TYPES}), so a run
 * fails at once with the message; refused store credentials and refused downloads are non-retryable too; every
 * other error (the store or a server unreachable, a lost connection) is retried. Every failure carries a message
 * (the class and the cause chain when the error has none) and every failed attempt is logged at WARN with its
 * stage and attempt number.
 */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
    /** Failure type of a download that cannot succeed however often it is tried (refused, over-size). */
    static final String DOWNLOAD_REFUSED = "DownloadRefused";

    private Failures() {}

    static <T> T guard(Supplier<T> body) {
        try {
            return body.get();
        } catch (ActivityCompletionException e) {
            // cancelled, or the worker shutting down: Temporal reports these itself, as what they are
            LOG.warn("{} ended: {}", attempt(), message(e));
            throw e;
        } catch (RuntimeException e) {
            ApplicationFailure f = classify(e);
            LOG.warn("{} failed{}: [{}] {}", attempt(), f.isNonRetryable() ? " (not retried)" : " (will be retried)",
                    f.getType(), f.getOriginalMessage());
            throw f;
        }
    }

    /** The Temporal failure for {@code e}: its type, whether it is retried, and a message that is never empty. */
    static ApplicationFailure classify(RuntimeException e) {
        if (e instanceof ApplicationFailure a) {
            return a;
        }
        String message = message(e);
        if (e instanceof InvalidRequestException) {
            return ApplicationFailure.newNonRetryableFailureWithCause(message, InvalidRequestException.TYPE, e);
        }
        if (e instanceof UserError u) {
            return ApplicationFailure.newNonRetryableFailureWithCause(message, type(u.kind()), e);
        }
        if (e instanceof StorageAccessException) {
            return ApplicationFailure.newNonRetryableFailureWithCause(message, StorageAccessException.TYPE, e);
        }
        if (e instanceof DownloadException d && !d.retryable()) {
            return ApplicationFailure.newNonRetryableFailureWithCause(message, DOWNLOAD_REFUSED, e);
        }
        return ApplicationFailure.newFailureWithCause(message, e.getClass().getName(), e);
    }

    /** The failure type of a user error's kind. */
    static String type(UserError.Kind kind) {
        return switch (kind) {
            case BAD_CONFIGURATION -> FailureMessages.BAD_CONFIGURATION;
            case IMPOSSIBLE_SIZE -> FailureMessages.IMPOSSIBLE_SIZE;
            case MISSING_DATA -> FailureMessages.MISSING_DATA;
            case CORRUPT_DATA -> FailureMessages.CORRUPT_DATA;
            case MODEL_MISMATCH -> FailureMessages.MODEL_MISMATCH;
        };
    }

    /** The error's message, or (when it has none) its class and the messages of its causes. */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m != null && !m.isBlank()) {
            return m;
        }
        StringBuilder b = new StringBuilder(e.getClass().getName());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append("; caused by ").append(c.getClass().getName());
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                b.append(": ").append(c.getMessage());
            }
        }
        return b.toString();
    }

    /** "Stage FetchData attempt 2 of run R" inside an activity; "a call" outside one (tests). */
    private static String attempt() {
        try {
            ActivityInfo info = Activity.getExecutionContext().getInfo();
            return "stage " + info.getActivityType() + " attempt " + info.getAttempt() + " of "
                    + info.getWorkflowId();
        } catch (IllegalStateException outsideAnActivity) {
            return "a call outside an activity";
        }
    }
}
