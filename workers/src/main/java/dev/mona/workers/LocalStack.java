package dev.mona.workers;

import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.StoreConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Embedded local mode: the port-bound Temporal test server and s3proxy, both on 127.0.0.1 only, plus the
 * orchestrator and a GPU worker in this process. The same workflows, activities and clients as production talk over
 * real sockets. The test server keeps workflow histories in memory: they end with the process; artifacts persist
 * under {@code <dataDir>/s3}.
 */
public final class LocalStack implements AutoCloseable {
    public static final String ACCESS_KEY = "mona-local";
    private final LoopbackTemporal temporal;
    private final EmbeddedS3 s3;
    private final WorkflowClient client;
    private final ArtifactStore store;
    private final WorkerFactory workers;

    private LocalStack(LoopbackTemporal temporal, EmbeddedS3 s3, WorkflowClient client,
                       ArtifactStore store, WorkerFactory workers) {
        this.temporal = temporal;
        this.s3 = s3;
        this.client = client;
        this.store = store;
        this.workers = workers;
    }

    /**
     * Starts everything on 127.0.0.1; port 0 lets the system pick a free one. A port in use is a
     * {@link ConfigException} naming {@code --port} or {@code --s3-port}.
     */
    public static LocalStack start(ClusterConfig cfg, int temporalPort, int s3Port) {
        String secret = localSecret(cfg.dataDir());
        EmbeddedS3 s3 = EmbeddedS3.start(cfg.dataDir().resolve("s3"), s3Port, ACCESS_KEY, secret, "--s3-port");
        LoopbackTemporal temporal = null;
        try {
            temporal = LoopbackTemporal.start(temporalPort, "--port");
            WorkflowClient client = TemporalConnection.connect(temporal.address(), cfg.namespace());
            SearchAttributeSetup.ensure(client);
            ArtifactStore store = new ArtifactStore(new StoreConfig(s3.endpoint(), "mona", ACCESS_KEY, secret,
                    "us-east-1"));
            store.ensureBucket();
            WorkerFactory workers = Workers.create(client, store, Workers.Role.ALL, cfg.gpus());
            workers.start();
            return new LocalStack(temporal, s3, client, store, workers);
        } catch (RuntimeException e) {
            if (temporal != null) {
                temporal.close();
            }
            s3.close();
            throw e;
        }
    }

    /** The local store's secret, generated once and kept in {@code <dataDir>/s3-secret} (mode 600). */
    static String localSecret(Path dataDir) {
        Path f = dataDir.resolve("s3-secret");
        try {
            if (Files.exists(f)) {
                return Files.readString(f).trim();
            }
            Files.createDirectories(dataDir);
            byte[] b = new byte[18];
            new SecureRandom().nextBytes(b);
            String secret = HexFormat.of().formatHex(b);
            Path tmp = Files.createTempFile(dataDir, ".s3-secret-", ".tmp");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(tmp, secret);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new ConfigException("cannot create the local store secret in " + dataDir + ": " + e.getMessage()
                    + "; set MONA_DATA_DIR to a writable directory", e);
        }
    }

    public String temporalAddress() {
        return temporal.address();
    }

    public WorkflowClient client() {
        return client;
    }

    public ArtifactStore store() {
        return store;
    }

    public ServerInfo info(String namespace) {
        StoreConfig c = store.config();
        return new ServerInfo(temporal.address(), namespace, c.endpoint(), c.bucket(), c.accessKey(), c.secretKey(),
                ProcessHandle.current().pid());
    }

    @Override
    public void close() {
        workers.shutdownNow();
        // an activity still writing when the servers stop would fail against a store that is gone: let it stop
        workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        client.getWorkflowServiceStubs().shutdownNow();
        temporal.close();
        s3.close();
    }
}
