package dev.mona.workers;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** s3proxy on 127.0.0.1 with a filesystem store: the artifact store of local mode (and of the tests). */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final int port;

    private EmbeddedS3(S3Proxy proxy, int port) {
        this.proxy = proxy;
        this.port = port;
    }

    /**
     * Starts s3proxy over {@code dir} on 127.0.0.1:{@code port} (0: a free port the system picks) with the given
     * credentials. A port in use is a {@link ConfigException} naming it and {@code option}, the setting that chooses
     * it.
     */
    public static EmbeddedS3 start(Path dir, int port, String accessKey, String secretKey, String option) {
        S3Proxy proxy;
        try {
            Files.createDirectories(dir);
            Properties props = new Properties();
            props.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
            props.setProperty("jclouds.identity", accessKey);
            props.setProperty("jclouds.credential", secretKey);
            proxy = S3Proxy.builder().blobStore(BlobStores.create("filesystem", props))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot create the local store in " + dir + ": " + e.getMessage()
                    + "; set MONA_DATA_DIR to a writable directory", e);
        }
        try {
            proxy.start();
            long deadline = System.currentTimeMillis() + 15_000;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("s3proxy did not start on 127.0.0.1:" + port + ": "
                            + proxy.getState());
                }
                Thread.sleep(20);
            }
            return new EmbeddedS3(proxy, proxy.getPort());
        } catch (Exception e) {
            stopQuietly(proxy, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            ConfigException inUse = Ports.inUse(port, option, e);
            if (inUse != null) {
                throw inUse;
            }
            throw e instanceof RuntimeException r ? r
                    : new IllegalStateException("cannot start s3proxy over " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void stopQuietly(S3Proxy proxy, Exception failure) {
        try {
            proxy.stop();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop s3proxy: " + e.getMessage(), e);
        }
    }
}
