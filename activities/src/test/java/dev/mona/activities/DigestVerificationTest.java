package dev.mona.activities;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.CorruptArtifactException;
import dev.mona.core.fetch.Digests;
import dev.mona.core.offline.OfflineData;
import dev.mona.workflows.FailureMessages;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.stage.*;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Content-addressed reads are checked against their recorded SHA-256 over a real s3proxy: a corrupted or truncated
 * cached data set is a cache miss and is recomputed, a corrupted model read fails at once with a typed error naming
 * the key and both digests, and the manifest refuses a digest the stored bytes no longer match.
 */
class DigestVerificationTest {
    @TempDir
    static Path dir;
    static S3ProxyFixture s3;
    static ArtifactStore store;
    static final Map<String, String> SMALL = Map.of("limit", "12");

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyFixture.start(dir);
        store = s3.store("digest-test");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @Test
    void aCorruptedCachedDataSetIsRecomputedAndNeverRecordedInTheManifest() {
        requireDna();
        DataActivities data = stub(DataActivities.class, new DataActivitiesImpl(store));
        String run = "transfer-digest-test";
        DatasetRef ds = data.fetchData(new FetchRequest(run, "offline-dna", 0, SMALL, false));
        byte[] good = store.get(ds.key());
        assertEquals(ds.digest(), Digests.sha256(good));
        assertTrue(data.fetchData(new FetchRequest(run, "offline-dna", 0, SMALL, false)).cached(), "intact: a hit");

        SourceRef src = Artifacts.storeSource(store, new StageCache(store), "ck-digest-test", "minilm",
                new byte[]{1, 2, 3}, new TensorFile(Map.of(), Map.of()).encode(), ArtifactKeys::sourceWeightsSafetensors,
                "", Map.of());
        byte[] model = {9, 8, 7, 6};
        String modelKey = ArtifactKeys.run(run) + "model/final.safetensors";
        store.put(modelKey, model, "application/octet-stream");
        FineTuneResult tuned = new FineTuneResult(modelKey, Digests.sha256(model), ArtifactKeys.summary(run), 1,
                "ERROR_RATE", 50, 50, List.of(), "core:trainer", false);
        ManifestRequest manifest = new ManifestRequest(run, new TransferRequest("offline-dna", TransferMethod.FT, 0,
                "", SMALL, false, null), ds, src, null, tuned, new ProbeResult(1, 2, "p", "core:linear-probe", false),
                new ExportResult(null, null, "none", false), 0, 1000);
        assertTrue(store.getText(data.writeManifest(manifest).manifestKey()).contains(ds.digest()));

        // same size, one byte flipped in the middle
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x5a;
        store.put(ds.key(), flipped, "application/octet-stream");
        ActivityFailure refused = assertThrows(ActivityFailure.class, () -> data.writeManifest(manifest));
        assertCorrupt(refused, ds.key(), ds.digest(), Digests.sha256(flipped));

        DatasetRef again = data.fetchData(new FetchRequest(run, "offline-dna", 0, SMALL, false));
        assertFalse(again.cached(), "a corrupted hit is a miss");
        assertEquals(ds.digest(), again.digest());
        assertArrayEquals(good, store.get(ds.key()), "recomputed and rewritten");
        data.writeManifest(manifest);

        // truncated
        store.put(ds.key(), Arrays.copyOf(good, good.length - 100), "application/octet-stream");
        DatasetRef third = data.fetchData(new FetchRequest(run, "offline-dna", 0, SMALL, false));
        assertFalse(third.cached());
        assertArrayEquals(good, store.get(ds.key()));
        // emptied
        store.put(ds.key(), new byte[0], "application/octet-stream");
        assertFalse(data.fetchData(new FetchRequest(run, "offline-dna", 0, SMALL, false)).cached());
        assertTrue(data.fetchData(new FetchRequest(run, "offline-dna", 0, SMALL, false)).cached());
    }

    @Test
    void aCorruptedModelReadFailsOnceWithBothDigests() {
        requireDna();
        int[] attempts = {0};
        DataActivitiesImpl impl = new DataActivitiesImpl(store) {
            @Override
            public ExportResult exportModel(ExportRequest r) {
                attempts[0]++;
                return super.exportModel(r);
            }
        };
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(impl);
        DataActivities data = env.newActivityStub(DataActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3)
                        .setInitialInterval(Duration.ofMillis(10)).build()).build());
        String run = "transfer-digest-model";
        DatasetRef ds = data.fetchData(new FetchRequest(run, "offline-dna", 0, SMALL, false));
        byte[] model = "not the model that was trained".getBytes();
        String key = ArtifactKeys.run(run) + "model/final.safetensors";
        store.put(key, model, "application/octet-stream");
        String recorded = Digests.sha256("the model that was trained".getBytes());
        FineTuneResult tuned = new FineTuneResult(key, recorded, ArtifactKeys.summary(run), 1, "ERROR_RATE", 50, 50,
                List.of(), "core:trainer", false);
        SourceRef src = new SourceRef("minilm", "unused", "unused", "unused", false, "", Map.of());
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> data.exportModel(new ExportRequest(run, ds,
                tuned, true, src, TransferMethod.FT, 0, SMALL)));
        assertCorrupt(f, key, recorded, Digests.sha256(model));
        assertEquals(1, attempts[0], "not retried: the same bytes fail the same way");
        env.close();

        CorruptArtifactException direct = assertThrows(CorruptArtifactException.class,
                () -> Artifacts.read(store, key, recorded));
        assertEquals(List.of(key, recorded, Digests.sha256(model)),
                List.of(direct.key(), direct.expectedDigest(), direct.actualDigest()));
    }

    private static void requireDna() {
        try {
            OfflineData.fromEnvironment().mlbenchDataDir();
        } catch (RuntimeException e) {
            Assumptions.abort("the DNA splice data is not installed (run infra/setup.sh): " + e.getMessage());
        }
    }

    private static void assertCorrupt(ActivityFailure f, String key, String expected, String actual) {
        ApplicationFailure a = assertInstanceOf(ApplicationFailure.class, f.getCause());
        assertEquals(FailureMessages.CORRUPT_DATA, a.getType());
        assertTrue(a.isNonRetryable());
        assertTrue(FailureMessages.isUserError(f));
        String m = a.getOriginalMessage();
        assertTrue(m.contains(key) && m.contains(expected) && m.contains(actual), m);
    }

    private static <T> T stub(Class<T> type, Object impl) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(impl);
        return env.newActivityStub(type, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
    }
}
