package dev.mona.activities;

import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.StoreConfig;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/** A real s3proxy on a free 127.0.0.1 port over a folder, with credentials {@code id} / {@code secret}. */
public final class S3ProxyFixture implements AutoCloseable {
    private final S3Proxy proxy;
    /** {@code http://127.0.0.1:PORT}. */
    public final String endpoint;

    private S3ProxyFixture(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts the proxy with its blobs under {@code dir} and waits until it serves. */
    public static S3ProxyFixture start(Path dir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        // port 0: the system picks a free port as the proxy binds it (a port picked free beforehand can be taken)
        S3Proxy proxy = S3Proxy.builder().blobStore(BlobStores.create("filesystem", props))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "id", "secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return new S3ProxyFixture(proxy, "http://127.0.0.1:" + proxy.getPort());
    }

    /** A store on {@code bucket} with the proxy's credentials, its bucket created as a worker does when it starts. */
    public ArtifactStore store(String bucket) {
        ArtifactStore store = new ArtifactStore(new StoreConfig(endpoint, bucket, "id", "secret", "us-east-1"));
        store.ensureBucket();
        return store;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
