package dev.mona.workers;

import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.StoreConfig;
import io.temporal.client.WorkflowClient;

import java.util.Optional;

/**
 * A connection to mona's servers for one command: the configured remote servers, else the local server started by
 * {@code mona server}, else (when allowed) an embedded {@link LocalStack} for the command's lifetime.
 */
public final class Session implements AutoCloseable {
    private final WorkflowClient client;
    private final ArtifactStore store;
    private final LocalStack embedded;
    private final String description;

    private Session(WorkflowClient client, ArtifactStore store, LocalStack embedded, String description) {
        this.client = client;
        this.store = store;
        this.embedded = embedded;
        this.description = description;
    }

    /** Opens a session; {@code startEmbedded} allows starting local mode in this process. */
    public static Session open(ClusterConfig cfg, boolean startEmbedded) {
        if (!cfg.local()) {
            WorkflowClient c = TemporalConnection.connect(cfg.temporalAddress(), cfg.namespace(), cfg.tls());
            return new Session(c, new ArtifactStore(cfg.store()), null, "Temporal " + cfg.temporalAddress()
                    + ", store " + cfg.store().endpoint());
        }
        Optional<ServerInfo> running = ServerInfo.find(cfg.dataDir());
        if (running.isPresent()) {
            ServerInfo s = running.get();
            WorkflowClient c = TemporalConnection.connect(s.temporalAddress(), s.namespace());
            StoreConfig store = cfg.store() != null ? cfg.store()
                    : new StoreConfig(s.s3Endpoint(), s.bucket(), s.accessKey(), s.secretKey(), "us-east-1");
            return new Session(c, new ArtifactStore(store), null, "local server " + s.temporalAddress()
                    + " (pid " + s.pid() + ")");
        }
        if (!startEmbedded) {
            throw new ServerUnreachableException("no mona server is running: TEMPORAL_ADDRESS is unset and no local "
                    + "server was found in " + cfg.dataDir() + ". Start one with 'mona server' (or set "
                    + "TEMPORAL_ADDRESS)", null);
        }
        LocalStack stack = LocalStack.start(cfg, 0, 0);
        return new Session(stack.client(), stack.store(), stack, "embedded local mode " + stack.temporalAddress());
    }

    public WorkflowClient client() {
        return client;
    }

    public ArtifactStore store() {
        return store;
    }

    /** True when the servers live in this process (they stop with it). */
    public boolean embedded() {
        return embedded != null;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        } else {
            client.getWorkflowServiceStubs().shutdownNow();
        }
    }
}
