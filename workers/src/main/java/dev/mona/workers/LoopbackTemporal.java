package dev.mona.workers;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's test server (the services of {@code TestServer.createPortBoundServer}) listening on 127.0.0.1 only.
 * {@code createPortBoundServer} listens on every interface and needs its port chosen beforehand, which left local
 * mode reachable from the network and open to a race for a port picked free a moment earlier; here port 0 lets the
 * system choose and {@link #port()} reads the choice back.
 */
public final class LoopbackTemporal implements AutoCloseable {
    private final TestServicesStarter services;
    private final Server server;

    private LoopbackTemporal(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} (0: a free port the system picks), with time skipping locked off
     * as in {@code createPortBoundServer(port, true)}. A port in use is a {@link ConfigException} naming it and
     * {@code option}, the setting that chooses it.
     */
    public static LoopbackTemporal start(int port, String option) {
        TestServicesStarter services = new TestServicesStarter(true, 0);
        try {
            ServerBuilder<?> b = NettyServerBuilder.forAddress(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port), InsecureServerCredentials.create());
            GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), b);
            return new LoopbackTemporal(services, b.build().start());
        } catch (IOException e) {
            services.close();
            ConfigException inUse = Ports.inUse(port, option, e);
            throw inUse != null ? inUse : new ConfigException("cannot start the Temporal server on 127.0.0.1:" + port
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** {@code 127.0.0.1:PORT}, for a client. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            services.close();
        }
    }
}
