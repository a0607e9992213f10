package dev.mona.workers;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * TLS towards the Temporal frontend, as the Helm chart sets it (all optional, files in PEM):
 * <pre>
 * environment               file key                   meaning
 * TEMPORAL_TLS_ENABLED      temporal.tls.enabled       "true": use TLS (implied when a cert or CA is given)
 * TEMPORAL_TLS_CERT         temporal.tls.cert          client certificate chain (mTLS; needs TEMPORAL_TLS_KEY)
 * TEMPORAL_TLS_KEY          temporal.tls.key           client private key, PKCS#8 PEM
 * TEMPORAL_TLS_CA           temporal.tls.ca            CA bundle that signs the server (default: the JVM's)
 * TEMPORAL_TLS_SERVER_NAME  temporal.tls.serverName    name expected in the server's certificate (SNI/authority)
 * </pre>
 *
 * @param cert       client certificate chain file, {@code null} for server-only TLS
 * @param key        client private key file, {@code null} exactly when {@code cert} is
 * @param ca         CA bundle file, {@code null} for the JVM's trust store
 * @param serverName authority to check the server's certificate against, {@code null} for the address's host
 */
public record TemporalTls(Path cert, Path key, Path ca, String serverName) {

    /** Builds the gRPC SSL context; a missing or unreadable file is a {@link ConfigException} naming it. */
    public SslContext sslContext() {
        SimpleSslContextBuilder b;
        if (cert != null) {
            byte[] certBytes = read("TEMPORAL_TLS_CERT", cert);
            byte[] keyBytes = read("TEMPORAL_TLS_KEY", key);
            b = SimpleSslContextBuilder.forPKCS8(new java.io.ByteArrayInputStream(certBytes),
                    new java.io.ByteArrayInputStream(keyBytes));
        } else {
            b = SimpleSslContextBuilder.noKeyOrCertChain();
        }
        if (ca != null) {
            b.setTrustManager(trustManagerFactory(ca).getTrustManagers()[0]);
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("cannot use the Temporal TLS files (TEMPORAL_TLS_CERT=" + cert
                    + ", TEMPORAL_TLS_KEY=" + key + "): " + e.getMessage() + ". The certificate must be a PEM chain "
                    + "and the key an unencrypted PKCS#8 PEM ('openssl pkcs8 -topk8 -nocrypt' converts one)", e);
        }
    }

    /** Reads the TLS settings; {@code null} when TLS is off. */
    static TemporalTls from(String enabled, String cert, String key, String ca, String serverName) {
        boolean on = enabled != null && Boolean.parseBoolean(enabled.trim());
        if (enabled != null && !on && !enabled.trim().equalsIgnoreCase("false")) {
            throw new ConfigException("TEMPORAL_TLS_ENABLED must be true or false, got '" + enabled + "'");
        }
        if (!on && cert == null && key == null && ca == null) {
            return null;
        }
        if ((cert == null) != (key == null)) {
            throw new ConfigException(cert == null
                    ? "TEMPORAL_TLS_KEY is set (" + key + ") but TEMPORAL_TLS_CERT is not: mTLS needs both"
                    : "TEMPORAL_TLS_CERT is set (" + cert + ") but TEMPORAL_TLS_KEY is not: mTLS needs both");
        }
        TemporalTls tls = new TemporalTls(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key),
                ca == null ? null : Path.of(ca), serverName);
        // fail at start-up, naming the variable, rather than at the first gRPC call
        tls.check("TEMPORAL_TLS_CERT", tls.cert);
        tls.check("TEMPORAL_TLS_KEY", tls.key);
        tls.check("TEMPORAL_TLS_CA", tls.ca);
        return tls;
    }

    private void check(String variable, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new ConfigException(variable + " names " + file + ", which " + (Files.exists(file)
                    ? "is not readable by this process" : "does not exist") + ": mount the Temporal TLS secret "
                    + "there or fix " + variable);
        }
    }

    private static byte[] read(String variable, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(variable + " names " + file + ", which cannot be read: " + e.getMessage()
                    + ". Mount the Temporal TLS secret there or fix " + variable, e);
        }
    }

    private static TrustManagerFactory trustManagerFactory(Path ca) {
        try (InputStream in = new java.io.ByteArrayInputStream(read("TEMPORAL_TLS_CA", ca))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException("TEMPORAL_TLS_CA names " + ca + ", which holds no PEM certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("TEMPORAL_TLS_CA names " + ca + ", which is not a PEM certificate bundle: "
                    + e.getMessage(), e);
        }
    }
}
