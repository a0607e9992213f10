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

    /** Starts s3proxy over {@code dir} on {@code port} (0 = a free one) with the given credentials. */
    public static EmbeddedS3 start(Path dir, int port, String accessKey, String secretKey) {
        try {
            Files.createDirectories(dir);
            int p = port == 0 ? Ports.free() : port;
            Properties props = new Properties();
            props.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
            props.setProperty("jclouds.identity", accessKey);
            props.setProperty("jclouds.credential", secretKey);
            S3Proxy proxy = S3Proxy.builder().blobStore(BlobStores.create("filesystem", props))
                    .endpoint(URI.create("http://127.0.0.1:" + p))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.currentTimeMillis() + 15_000;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("s3proxy did not start on port " + p + ": " + proxy.getState());
                }
                Thread.sleep(20);
            }
            return new EmbeddedS3(proxy, p);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy over " + dir + ": " + e.getMessage(), e);
        }
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
