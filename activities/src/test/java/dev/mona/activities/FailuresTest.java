package dev.mona.activities;

import dev.mona.activities.store.CorruptArtifactException;
import dev.mona.activities.store.StorageUnavailableException;
import dev.mona.core.UserError;
import dev.mona.core.offline.NotEnoughSamplesException;
import dev.mona.core.offline.OfflineDataMissingException;
import dev.mona.core.task.SplitTooLargeException;
import dev.mona.workflows.FailureMessages;
import dev.mona.workflows.InvalidRequestException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

import java.nio.BufferUnderflowException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The failure taxonomy: user errors are final and typed by kind, the rest is retried, no message is empty. */
class FailuresTest {
    @Test
    void userErrorsAreNotRetriedAndTypedByKind() {
        assertUserError(new NotEnoughSamplesException("SpamAssassin e-mails", 7000, 6046),
                FailureMessages.IMPOSSIBLE_SIZE);
        assertUserError(new SplitTooLargeException("t", "train", 1L << 31, 2), FailureMessages.IMPOSSIBLE_SIZE);
        assertUserError(new OfflineDataMissingException("Fashion-MNIST", Path.of("/nowhere")),
                FailureMessages.MISSING_DATA);
        assertUserError(new CorruptArtifactException("datasets/t/abc/data.tns", "aa", "bb"),
                FailureMessages.CORRUPT_DATA);
        assertUserError(new InvalidRequestException("unknown task 'x'"), InvalidRequestException.TYPE);
        for (UserError.Kind k : UserError.Kind.values()) {
            assertTrue(FailureMessages.USER_ERROR_TYPES.contains(Failures.type(k)), k.name());
        }
    }

    @Test
    void infrastructureErrorsAreRetriedAndNeverSilent() {
        ApplicationFailure down = Failures.classify(new StorageUnavailableException("store down", null));
        assertFalse(down.isNonRetryable());
        assertFalse(FailureMessages.isUserError(down));
        assertEquals("store down", down.getOriginalMessage());
        // the messages a corrupted store object used to give: "" and "-2139160576"
        ApplicationFailure empty = Failures.classify(new IllegalStateException(new BufferUnderflowException()));
        assertTrue(empty.getOriginalMessage().contains("BufferUnderflowException"), empty.getOriginalMessage());
        ApplicationFailure blank = Failures.classify(new RuntimeException(" "));
        assertEquals(RuntimeException.class.getName(), blank.getOriginalMessage());
    }

    @Test
    void undecodableBytesAreACorruptArtifactNamingTheKey() {
        byte[] bytes = new TensorFile(java.util.Map.of("a", "b"), java.util.Map.of("w",
                new dev.mona.core.data.HostTensor(new float[]{1, 2}, new long[]{2}))).encode();
        for (byte[] bad : new byte[][]{java.util.Arrays.copyOf(bytes, bytes.length - 3), flipShape(bytes)}) {
            CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
                    () -> Artifacts.decode("datasets/t/abc/data.tns", bad));
            assertTrue(e.getMessage().startsWith("corrupt artifact datasets/t/abc/data.tns: "), e.getMessage());
        }
    }

    /** The tensor's dimension made negative (its 8 big-endian bytes sit just before the 8 bytes of data). */
    private static byte[] flipShape(byte[] bytes) {
        byte[] b = bytes.clone();
        b[b.length - 8 - 8] = (byte) 0x80;
        return b;
    }

    private static void assertUserError(RuntimeException e, String type) {
        ApplicationFailure f = Failures.classify(e);
        assertTrue(f.isNonRetryable(), e.toString());
        assertEquals(type, f.getType());
        assertEquals(e.getMessage(), f.getOriginalMessage());
        assertTrue(FailureMessages.isUserError(f));
    }
}
