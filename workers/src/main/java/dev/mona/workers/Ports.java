package dev.mona.workers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers. */
public final class Ports {
    private Ports() {}

    /** A port free on 127.0.0.1 right now. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * The error of a server that could not bind 127.0.0.1:{@code port}: when {@code e} (or a cause) says the address
     * is taken, a {@link ConfigException} naming the port and {@code option}, the setting that chooses it; else null.
     */
    static ConfigException inUse(int port, String option, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return new ConfigException("port " + port + " on 127.0.0.1 is in use; choose another with " + option,
                        e);
            }
        }
        return null;
    }

    /** True when something accepts connections at {@code host:port} within {@code timeoutMillis}. */
    public static boolean answers(String host, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
