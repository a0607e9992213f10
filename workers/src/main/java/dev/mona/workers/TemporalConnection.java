package dev.mona.workers;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

import java.time.Duration;

/** A client of a Temporal frontend, with a clear error when nothing answers. */
public final class TemporalConnection {
    private TemporalConnection() {}

    public static WorkflowClient connect(String address, String namespace) {
        return connect(address, namespace, null);
    }

    /** Connects, over TLS when {@code tls} is not null (its files are read here). */
    public static WorkflowClient connect(String address, String namespace, TemporalTls tls) {
        String[] hp = address.replaceFirst("^[a-z]+://", "").split(":");
        String host = hp[0];
        int port;
        try {
            port = hp.length > 1 ? Integer.parseInt(hp[1]) : 7233;
        } catch (NumberFormatException e) {
            throw new ConfigException("TEMPORAL_ADDRESS must be host:port, got '" + address + "'");
        }
        if (!Ports.answers(host, port, 3000)) {
            throw new ServerUnreachableException("the Temporal server at " + host + ":" + port + " is unreachable: "
                    + "start it, fix TEMPORAL_ADDRESS, or unset TEMPORAL_ADDRESS for local mode", null);
        }
        try {
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(options(host + ":" + port,
                    tls), Duration.ofSeconds(10));
            return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace)
                    .build());
        } catch (RuntimeException e) {
            throw new ServerUnreachableException("the Temporal server at " + host + ":" + port
                    + " did not answer a health check" + (tls != null ? " over TLS (check TEMPORAL_TLS_*)" : "")
                    + ": " + e.getMessage(), e);
        }
    }

    /** The stubs' options for {@code target}; with TLS, the SSL context and the expected server name. */
    static WorkflowServiceStubsOptions options(String target, TemporalTls tls) {
        WorkflowServiceStubsOptions.Builder b = WorkflowServiceStubsOptions.newBuilder().setTarget(target);
        if (tls != null) {
            b.setSslContext(tls.sslContext());
            if (tls.serverName() != null) {
                String name = tls.serverName();
                b.setChannelInitializer(channel -> channel.overrideAuthority(name));
            }
        }
        return b.build();
    }
}
