package dev.mona.activities;

import dev.mona.activities.store.StorageAccessException;
import dev.mona.workflows.InvalidRequestException;
import io.temporal.failure.ApplicationFailure;

import java.util.function.Supplier;

/** Turns the typed errors a user can cause into non-retryable Temporal failures; everything else is retried. */
final class Failures {
    private Failures() {}

    static <T> T guard(Supplier<T> body) {
        try {
            return body.get();
        } catch (InvalidRequestException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), InvalidRequestException.TYPE);
        } catch (dev.mona.core.model.MonaModelException e) {
            // wrong shapes or parameters: deterministic, a retry would fail the same way
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "ModelError");
        } catch (StorageAccessException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), StorageAccessException.TYPE);
        }
    }
}
