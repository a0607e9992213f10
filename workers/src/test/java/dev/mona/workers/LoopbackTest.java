package dev.mona.workers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Local mode's servers listen on 127.0.0.1 only, on the port the system picked (port 0) or the one asked for; a port
 * in use is a configuration error naming the option that chooses it.
 */
class LoopbackTest {
    @TempDir
    Path dir;

    /** An address of this machine other than loopback, if it has one. */
    private static Optional<InetAddress> otherAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void serversAnswerOnLoopbackOnly() throws Exception {
        try (LoopbackTemporal temporal = LoopbackTemporal.start(0, "--port");
             EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "a", "secret-123", "--s3-port")) {
            assertTrue(temporal.port() > 0 && s3.port() > 0 && temporal.port() != s3.port());
            assertEquals("127.0.0.1:" + temporal.port(), temporal.address());
            assertEquals("http://127.0.0.1:" + s3.port(), s3.endpoint());
            assertTrue(Ports.answers("127.0.0.1", temporal.port(), 2000));
            assertTrue(Ports.answers("127.0.0.1", s3.port(), 2000));
            // the client really talks to it
            TemporalConnection.connect(temporal.address(), "default").getWorkflowServiceStubs().shutdownNow();
            Optional<InetAddress> other = otherAddress();
            assumeTrue(other.isPresent(), "this machine has no address but loopback");
            String host = other.get().getHostAddress();
            assertFalse(Ports.answers(host, temporal.port(), 2000), "Temporal answers on " + host);
            assertFalse(Ports.answers(host, s3.port(), 2000), "s3proxy answers on " + host);
        }
    }

    @Test
    void aPortInUseNamesItsOption() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int p = busy.getLocalPort();
            ConfigException t = assertThrows(ConfigException.class, () -> LoopbackTemporal.start(p, "--port"));
            assertEquals("port " + p + " on 127.0.0.1 is in use; choose another with --port", t.getMessage());
            ConfigException s = assertThrows(ConfigException.class,
                    () -> EmbeddedS3.start(dir.resolve("s3"), p, "a", "secret-123", "--s3-port"));
            assertEquals("port " + p + " on 127.0.0.1 is in use; choose another with --s3-port", s.getMessage());
        }
        // a port asked for is the port used
        int asked;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            asked = probe.getLocalPort();
        }
        try (LoopbackTemporal temporal = LoopbackTemporal.start(asked, "--port")) {
            assertEquals(asked, temporal.port());
        }
    }
}
