package dev.mona.activities.store;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import okhttp3.OkHttpClient;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Artifacts in one S3 bucket through the MinIO client; the key layout is {@link ArtifactKeys}. Every put is a
 * whole object (S3 writes are atomic per object), so a crash never leaves a half-written artifact. Only writes
 * create the bucket; reads of a missing bucket fail naming it, so that a misspelled bucket of a read-only command
 * is reported instead of created.
 */
public final class ArtifactStore {
    private static final Set<String> ACCESS_CODES = Set.of("AccessDenied", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "InvalidBucketName", "AllAccessDisabled");

    /** One object of a listing. */
    public record Entry(String key, long size) {
    }

    private final StoreConfig config;
    private final MinioClient client;
    private volatile boolean bucketChecked;

    public ArtifactStore(StoreConfig config) {
        this.config = config;
        // short timeouts: a store that is down must fail the stage fast so that Temporal's backoff takes over.
        // OkHttp's one retry on a connection failure stays on: a pooled keep-alive connection the server has
        // closed meanwhile otherwise fails the request with "unexpected end of stream" (seen against s3proxy while
        // a run wrote checkpoints); a store that is down still fails at once (the retry's connect is refused).
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(120, TimeUnit.SECONDS).writeTimeout(120, TimeUnit.SECONDS)
                .retryOnConnectionFailure(true).build();
        this.client = MinioClient.builder().endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region() == null ? "us-east-1" : config.region()).httpClient(http).build();
    }

    public StoreConfig config() {
        return config;
    }

    /** The store of {@code bucket} on the same endpoint with the same credentials (this store for its own bucket). */
    public ArtifactStore inBucket(String bucket) {
        return bucket.equals(config.bucket()) ? this : new ArtifactStore(new StoreConfig(config.endpoint(), bucket,
                config.accessKey(), config.secretKey(), config.region()));
    }

    /**
     * Creates the bucket when missing. Idempotent across processes: workers started together against a fresh store
     * race between the existence check and the creation, and the loser's "already owned by you" is success.
     */
    public void ensureBucket() {
        if (bucketChecked) {
            return;
        }
        call("create bucket", () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).build());
                } catch (ErrorResponseException e) {
                    if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                        throw e;
                    }
                }
            }
            return null;
        });
        bucketChecked = true;
    }

    public void put(String key, byte[] bytes, String contentType) {
        ensureBucket();
        call("put " + key, () -> client.putObject(PutObjectArgs.builder().bucket(config.bucket()).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType).build()));
    }

    public void putText(String key, String text, String contentType) {
        put(key, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
    }

    /** Deletes the object (nothing when it does not exist). */
    public void delete(String key) {
        call("delete " + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(config.bucket()).object(key).build());
            return null;
        });
    }

    public byte[] get(String key) {
        return call("get " + key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(config.bucket()).object(key)
                    .build())) {
                return in.readAllBytes();
            }
        });
    }

    public String getText(String key) {
        return new String(get(key), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Writes the object to {@code target} through a temporary file, so a failed download leaves nothing; a target
     * that cannot be written is a {@link LocalWriteException} ending in {@code fix}.
     */
    public void download(String key, Path target, String fix) {
        LocalFiles.write(target, get(key), fix);
    }

    public boolean exists(String key) {
        return call("stat " + key, () -> {
            try {
                client.statObject(StatObjectArgs.builder().bucket(config.bucket()).object(key).build());
                return true;
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                    // a HEAD answer has no body: a missing bucket also reads as a missing key
                    if (!client.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build())) {
                        throw missingBucket("stat " + key, e);
                    }
                    return false;
                }
                throw e;
            }
        });
    }

    /** Objects under {@code prefix}, recursively, sorted by key. */
    public List<Entry> list(String prefix) {
        return call("list " + prefix, () -> {
            List<Entry> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(config.bucket())
                    .prefix(prefix).recursive(true).build())) {
                Item it = r.get();
                if (!it.isDir()) {
                    out.add(new Entry(it.objectName(), it.size()));
                }
            }
            out.sort(java.util.Comparator.comparing(Entry::key));
            return out;
        });
    }

    private StorageAccessException missingBucket(String what, Exception cause) {
        return new StorageAccessException("artifact store " + config.endpoint() + " has no bucket '" + config.bucket()
                + "' (during '" + what + "'): check MONA_S3_BUCKET / s3.bucket; workers create the bucket when they "
                + "start", cause);
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, S3Call<T> c) {
        try {
            return c.run();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (ACCESS_CODES.contains(code)) {
                throw new StorageAccessException("artifact store " + config.endpoint() + " refused '" + what + "' ("
                        + code + "): check the S3 credentials and bucket '" + config.bucket() + "'", e);
            }
            if ("NoSuchBucket".equals(code)) {
                throw missingBucket(what, e);
            }
            if ("NoSuchKey".equals(code)) {
                throw new ArtifactNotFoundException(what.replaceFirst("^\\w+ ", ""), config.bucket());
            }
            throw new StorageUnavailableException("artifact store " + config.endpoint() + " failed '" + what + "': "
                    + code + " " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // MinIO validates names client-side (bucket naming rules): a configuration error
            throw new StorageAccessException("artifact store request '" + what + "' rejected: " + e.getMessage()
                    + "; check MONA_S3_BUCKET / s3.bucket", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageUnavailableException("artifact store " + config.endpoint() + " unreachable during '"
                    + what + "': " + e, e);
        }
    }
}
