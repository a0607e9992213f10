package dev.mona.workers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The variables the Helm chart (helm/mona/templates/_helpers.tpl) sets, read into {@link MonaConfig}. */
class MonaConfigEnvTest {
    private static Path tlsDir;

    /** A throwaway self-signed client certificate and key, made with the JDK's keytool (no key is committed). */
    @BeforeAll
    static void writeTlsFiles() throws Exception {
        tlsDir = Files.createTempDirectory("mona-tls");
        Path store = tlsDir.resolve("client.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=temporal.example", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool failed: " + log);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        String cert = pem("CERTIFICATE", ks.getCertificate("client").getEncoded());
        Files.writeString(tlsDir.resolve("client.crt"), cert);
        Files.writeString(tlsDir.resolve("ca.crt"), cert);
        Files.writeString(tlsDir.resolve("client.key"),
                pem("PRIVATE KEY", ks.getKey("client", "changeit".toCharArray()).getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path fixture(String name) {
        return tlsDir.resolve(name);
    }

    private static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("MONA_GPUS", "1");
        env.put("MONA_DATA_DIR", "/tmp/mona-config-test");
        return env;
    }

    @Test
    void defaultsWhenUnset() {
        MonaConfig c = MonaConfig.load(null, base());
        assertNull(c.healthPort());
        assertNull(c.tls());
        assertEquals(30, c.shutdownGraceSeconds());
    }

    @Test
    void healthPortAndGraceFromTheEnvironment() {
        Map<String, String> env = base();
        env.put("MONA_HEALTH_PORT", "8081");
        env.put("MONA_SHUTDOWN_GRACE_SECONDS", " 75 ");
        MonaConfig c = MonaConfig.load(null, env);
        assertEquals(8081, c.healthPort());
        assertEquals(75, c.shutdownGraceSeconds());
    }

    @Test
    void badNumbersAreConfigErrorsNamingTheVariable() {
        Map<String, String> env = base();
        env.put("MONA_HEALTH_PORT", "70000");
        assertTrue(assertThrows(ConfigException.class, () -> MonaConfig.load(null, env)).getMessage()
                .contains("MONA_HEALTH_PORT"));
        env.remove("MONA_HEALTH_PORT");
        env.put("MONA_SHUTDOWN_GRACE_SECONDS", "-1");
        assertTrue(assertThrows(ConfigException.class, () -> MonaConfig.load(null, env)).getMessage()
                .contains("MONA_SHUTDOWN_GRACE_SECONDS"));
    }

    @Test
    void tlsFilesBuildAnSslContext() throws Exception {
        Map<String, String> env = base();
        env.put("TEMPORAL_TLS_ENABLED", "true");
        env.put("TEMPORAL_TLS_CERT", fixture("client.crt").toString());
        env.put("TEMPORAL_TLS_KEY", fixture("client.key").toString());
        env.put("TEMPORAL_TLS_CA", fixture("ca.crt").toString());
        env.put("TEMPORAL_TLS_SERVER_NAME", "temporal.example");
        TemporalTls tls = MonaConfig.load(null, env).tls();
        assertEquals("temporal.example", tls.serverName());
        assertTrue(tls.sslContext().isClient());
        assertNotNull(TemporalConnection.options("temporal.example:7233", tls).getSslContext());
    }

    @Test
    void enabledWithoutFilesIsServerOnlyTls() {
        Map<String, String> env = base();
        env.put("TEMPORAL_TLS_ENABLED", "true");
        TemporalTls tls = MonaConfig.load(null, env).tls();
        assertNull(tls.cert());
        assertTrue(tls.sslContext().isClient());
        env.put("TEMPORAL_TLS_ENABLED", "false");
        assertNull(MonaConfig.load(null, env).tls());
    }

    @Test
    void missingFileNamesTheVariableAndPath() throws Exception {
        Map<String, String> env = base();
        env.put("TEMPORAL_TLS_ENABLED", "true");
        env.put("TEMPORAL_TLS_CERT", fixture("client.crt").toString());
        env.put("TEMPORAL_TLS_KEY", "/etc/mona/temporal-tls/tls.key");
        ConfigException e = assertThrows(ConfigException.class, () -> MonaConfig.load(null, env));
        assertTrue(e.getMessage().contains("TEMPORAL_TLS_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("/etc/mona/temporal-tls/tls.key"), e.getMessage());
        env.put("TEMPORAL_TLS_KEY", fixture("client.key").toString());
        env.put("TEMPORAL_TLS_CA", "/nowhere/ca.crt");
        e = assertThrows(ConfigException.class, () -> MonaConfig.load(null, env));
        assertTrue(e.getMessage().contains("TEMPORAL_TLS_CA") && e.getMessage().contains("/nowhere/ca.crt"));
    }

    @Test
    void certWithoutKeyAndGarbageFilesAreConfigErrors() throws Exception {
        Map<String, String> env = base();
        env.put("TEMPORAL_TLS_CERT", fixture("client.crt").toString());
        assertTrue(assertThrows(ConfigException.class, () -> MonaConfig.load(null, env)).getMessage()
                .contains("TEMPORAL_TLS_KEY"));
        Path junk = Files.createTempFile("mona-tls", ".pem");
        try {
            Files.writeString(junk, "not a certificate");
            env.remove("TEMPORAL_TLS_CERT");
            env.put("TEMPORAL_TLS_CA", junk.toString());
            ConfigException e = assertThrows(ConfigException.class, () -> MonaConfig.load(null, env).tls()
                    .sslContext());
            assertTrue(e.getMessage().contains("TEMPORAL_TLS_CA"), e.getMessage());
            env.remove("TEMPORAL_TLS_CA");
            env.put("TEMPORAL_TLS_CERT", junk.toString());
            env.put("TEMPORAL_TLS_KEY", junk.toString());
            TemporalTls bad = MonaConfig.load(null, env).tls();
            assertThrows(ConfigException.class, bad::sslContext);
        } finally {
            Files.delete(junk);
        }
        env.put("TEMPORAL_TLS_ENABLED", "yes");
        assertThrows(ConfigException.class, () -> MonaConfig.load(null, env));
    }
}
