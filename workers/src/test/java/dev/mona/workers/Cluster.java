package dev.mona.workers;

import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.StoreConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test fixture over real sockets: s3proxy and the port-bound Temporal server on 127.0.0.1, the orchestrator (workflows
 * + CPU activities) in this JVM or, for the production topology, in a JVM of its own, GPU workers as separate JVMs
 * started from this test's class path.
 */
final class Cluster implements AutoCloseable {
    final Path dir;
    final int s3Port;
    final String secret = "test-secret-123";
    EmbeddedS3 s3;
    final LoopbackTemporal temporal;
    final WorkflowClient client;
    final ArtifactStore store;
    final WorkerFactory orchestrator;
    final List<Process> workers = new ArrayList<>();

    Cluster(Path dir) {
        this(dir, true);
    }

    /** With {@code orchestratorHere} false this JVM is a client only: start the orchestrator with {@link #startWorker}. */
    Cluster(Path dir, boolean orchestratorHere) {
        this.dir = dir;
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "test", secret, "a free port");
        s3Port = s3.port(); // restartS3 comes back on the same port
        temporal = LoopbackTemporal.start(0, "a free port");
        client = TemporalConnection.connect(temporal.address(), "default");
        store = new ArtifactStore(new StoreConfig(s3.endpoint(), "mona", "test", secret, "us-east-1"));
        store.ensureBucket();
        orchestrator = orchestratorHere ? Workers.create(client, store, Workers.Role.ORCHESTRATOR, 1) : null;
        if (orchestrator != null) {
            orchestrator.start();
        }
    }

    Map<String, String> env() {
        return Map.of("TEMPORAL_ADDRESS", temporal.address(), "MONA_S3_ENDPOINT", "http://127.0.0.1:"
                + s3Port, "MONA_S3_ACCESS_KEY", "test", "MONA_S3_SECRET_KEY", secret, "MONA_GPUS", "1",
                "MONA_DATA_DIR", dir.resolve("worker-data").toString(), "MONA_LOG_LEVEL", "INFO");
    }

    /** Starts a GPU worker JVM; its output goes to {@code worker-N.log}. */
    Process startGpuWorker() throws Exception {
        return startWorker("gpu");
    }

    /** Starts a worker JVM of {@code role} ({@code gpu} or {@code orchestrator}); output in {@code ROLE-N.log}. */
    Process startWorker(String role) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                "dev.mona.workers.WorkerMain", role);
        pb.environment().putAll(env());
        File log = dir.resolve(role + "-" + workers.size() + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        workers.add(p);
        return p;
    }

    void restartS3() {
        s3 = EmbeddedS3.start(dir.resolve("s3"), s3Port, "test", secret, "a free port");
    }

    @Override
    public void close() {
        for (Process p : workers) {
            p.destroyForcibly();
        }
        if (orchestrator != null) {
            orchestrator.shutdownNow();
        }
        client.getWorkflowServiceStubs().shutdownNow();
        temporal.close();
        try {
            s3.close();
        } catch (RuntimeException ignored) {
            // already stopped by a test
        }
    }
}
