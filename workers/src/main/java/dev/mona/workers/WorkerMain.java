package dev.mona.workers;

import dev.mona.activities.store.ArtifactStore;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker process: {@code WorkerMain [orchestrator|gpu|all] [CONFIG.yaml]}. Connects with {@link ClusterConfig} and
 * serves until SIGTERM/SIGINT, then finishes or hands back its activity attempts.
 */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Workers.Role role = Workers.Role.valueOf((args.length > 0 ? args[0] : "gpu").toUpperCase(Locale.ROOT));
        ClusterConfig cfg = ClusterConfig.load(args.length > 1 ? Path.of(args[1]) : null);
        run(cfg, role, null);
    }

    /** Serves until the process is stopped; {@code ready} (may be null) is counted down once polling. */
    public static void run(ClusterConfig cfg, Workers.Role role, CountDownLatch ready) throws InterruptedException {
        AtomicBoolean serving = new AtomicBoolean(false);
        // liveness answers while connecting; readiness only once the workers poll
        HealthServer health = cfg.healthPort() == null ? null
                : HealthServer.start(healthBindAddress(cfg), cfg.healthPort(), serving::get);
        try (Session session = Session.open(cfg, false)) {
            WorkflowClient client = session.client();
            ArtifactStore store = session.store();
            store.ensureBucket();
            if (role != Workers.Role.GPU) {
                SearchAttributeSetup.ensure(client); // the orchestrator's workflows set them
            }
            WorkerFactory factory = Workers.create(client, store, role, cfg.gpus());
            factory.start();
            serving.set(true);
            LOG.info("{} worker polling ({}, {} GPU slots)", role, session.description(), cfg.gpus());
            System.err.println("mona worker: " + role.name().toLowerCase(Locale.ROOT) + " serving "
                    + session.description() + " with " + cfg.gpus() + " slot(s)");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                serving.set(false);
                factory.shutdown();
                LOG.info("draining: waiting up to {} s for running activities", cfg.shutdownGraceSeconds());
                factory.awaitTermination(cfg.shutdownGraceSeconds(), TimeUnit.SECONDS);
                stop.countDown();
            }));
            if (ready != null) {
                ready.countDown();
            }
            stop.await();
        } finally {
            if (health != null) {
                health.close();
            }
        }
    }

    /** Pods are probed from outside the container: any address; local mode stays on the loopback. */
    static InetAddress healthBindAddress(ClusterConfig cfg) {
        try {
            return cfg.local() ? InetAddress.getLoopbackAddress() : InetAddress.getByName("0.0.0.0");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // a literal address is never looked up
        }
    }
}
