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

/** The variables the Helm chart (helm/mona/templates/_helpers.tpl) sets, read into {@link ClusterConfig}. */
class ClusterConfigEnvTest {
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
        ClusterConfig c = ClusterConfig.load(null, base());
        assertNull(c.healthPort());
        assertNull(c.tls());
        assertEquals(30, c.shutdownGraceSeconds());
    }

    @Test
    void healthPortAndGraceFromTheEnvironment() {
        Map<String, String> env = base();
        env.put("MONA_HEALTH_PORT", "8081");
        env.put("MONA_SHUTDOWN_GRACE_SECONDS", " 75 ");
        ClusterConfig c = ClusterConfig.load(null, env);
        assertEquals(8081, c.healthPort());
        assertEquals(75, c.shutdownGraceSeconds());
    }

    @Test
    void badNumbersAreConfigErrorsNamingTheVariable() {
        Map<String, String> env = base();
        env.put("MONA_HEALTH_PORT", "70000");
        assertTrue(assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env)).getMessage()
                .contains("MONA_HEALTH_PORT"));
        env.remove("MONA_HEALTH_PORT");
        env.put("MONA_SHUTDOWN_GRACE_SECONDS", "-1");
        assertTrue(assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env)).getMessage()
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
        TemporalTls tls = ClusterConfig.load(null, env).tls();
        assertEquals("temporal.example", tls.serverName());
        assertTrue(tls.sslContext().isClient());
        assertNotNull(TemporalConnection.options("temporal.example:7233", tls).getSslContext());
    }

    @Test
    void enabledWithoutFilesIsServerOnlyTls() {
        Map<String, String> env = base();
        env.put("TEMPORAL_TLS_ENABLED", "true");
        TemporalTls tls = ClusterConfig.load(null, env).tls();
        assertNull(tls.cert());
        assertTrue(tls.sslContext().isClient());
        env.put("TEMPORAL_TLS_ENABLED", "false");
        assertNull(ClusterConfig.load(null, env).tls());
    }

    @Test
    void missingFileNamesTheVariableAndPath() throws Exception {
        Map<String, String> env = base();
        env.put("TEMPORAL_TLS_ENABLED", "true");
        env.put("TEMPORAL_TLS_CERT", fixture("client.crt").toString());
        env.put("TEMPORAL_TLS_KEY", "/etc/mona/temporal-tls/tls.key");
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env));
        assertTrue(e.getMessage().contains("TEMPORAL_TLS_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("/etc/mona/temporal-tls/tls.key"), e.getMessage());
        env.put("TEMPORAL_TLS_KEY", fixture("client.key").toString());
        env.put("TEMPORAL_TLS_CA", "/nowhere/ca.crt");
        e = assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env));
        assertTrue(e.getMessage().contains("TEMPORAL_TLS_CA") && e.getMessage().contains("/nowhere/ca.crt"));
    }

    @Test
    void certWithoutKeyAndGarbageFilesAreConfigErrors() throws Exception {
        Map<String, String> env = base();
        env.put("TEMPORAL_TLS_CERT", fixture("client.crt").toString());
        assertTrue(assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env)).getMessage()
                .contains("TEMPORAL_TLS_KEY"));
        Path junk = Files.createTempFile("mona-tls", ".pem");
        try {
            Files.writeString(junk, "not a certificate");
            env.remove("TEMPORAL_TLS_CERT");
            env.put("TEMPORAL_TLS_CA", junk.toString());
            ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env).tls()
                    .sslContext());
            assertTrue(e.getMessage().contains("TEMPORAL_TLS_CA"), e.getMessage());
            env.remove("TEMPORAL_TLS_CA");
            env.put("TEMPORAL_TLS_CERT", junk.toString());
            env.put("TEMPORAL_TLS_KEY", junk.toString());
            TemporalTls bad = ClusterConfig.load(null, env).tls();
            assertThrows(ConfigException.class, bad::sslContext);
        } finally {
            Files.delete(junk);
        }
        env.put("TEMPORAL_TLS_ENABLED", "yes");
        assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env));
    }

    @Test
    void malformedEndpointNamesTheVariableValueAndForm() {
        for (String bad : java.util.List.of("not a url", "ftp://minio:21", "minio:9000", "http://", "http://h:9000/x")) {
            Map<String, String> env = base();
            env.put("MONA_S3_ENDPOINT", bad);
            env.put("MONA_S3_ACCESS_KEY", "a");
            env.put("MONA_S3_SECRET_KEY", "b");
            ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env), bad);
            assertTrue(e.getMessage().contains("MONA_S3_ENDPOINT") && e.getMessage().contains("'" + bad + "'")
                    && e.getMessage().contains("http(s)://host:port"), e.getMessage());
        }
        Map<String, String> env = base();
        env.put("MONA_S3_ENDPOINT", "https://minio.example.org:9000/");
        env.put("MONA_S3_ACCESS_KEY", "a");
        env.put("MONA_S3_SECRET_KEY", "b");
        assertEquals("https://minio.example.org:9000/", ClusterConfig.load(null, env).store().endpoint());
    }

    private static Path configFile(String yaml) throws Exception {
        Path f = Files.createTempFile(tlsDir, "config-", ".yaml");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void unknownKeysAtAnyLevelAreErrorsNamingKeyFileAndKnownKeys() throws Exception {
        for (String yaml : java.util.List.of("temporal: {adress: t:7233}\n", "s3: {endpont: http://h:9000}\n",
                "temporal: {tls: {enabld: true}}\n", "bucket: mona\n", "temporal: {adress: }\n")) {
            Path f = configFile(yaml);
            ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(f, base()), yaml);
            String key = yaml.contains("adress") ? "temporal.adress" : yaml.contains("endpont") ? "s3.endpont"
                    : yaml.contains("enabld") ? "temporal.tls.enabld" : "bucket";
            assertTrue(e.getMessage().contains("unknown key '" + key + "'") && e.getMessage().contains(f.toString())
                    && e.getMessage().contains("temporal.address") && e.getMessage().contains("s3.endpoint"),
                    e.getMessage());
        }
        Path ok = configFile("temporal: {namespace: mona, tls: {enabled: false}}\ngpus: 2\n");
        assertEquals("mona", ClusterConfig.load(ok, base()).namespace());
    }

    @Test
    void yamlSyntaxErrorsNameLineAndColumn() throws Exception {
        Path f = configFile("temporal:\n  address: t:7233\ns3: {endpoint: http://h:9000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(f, base()));
        assertTrue(e.getMessage().matches("(?s).*line \\d+, column \\d+.*") && e.getMessage().contains(f.toString()),
                e.getMessage());
    }

    @Test
    void aSecretInAFileReadableByOthersIsRefused() throws Exception {
        Path f = configFile("s3: {endpoint: http://h:9000, accessKey: a, secretKey: s}\n");
        assertEquals("s", ClusterConfig.load(f, base()).store().secretKey(), "mode 600 is accepted");
        for (String mode : java.util.List.of("rw-r--r--", "rw----r--", "rw-rw----")) {
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(f, base()), mode);
            assertTrue(e.getMessage().contains("chmod 600 " + f) && e.getMessage().contains("s3.secretKey"),
                    e.getMessage());
        }
        Path noSecret = configFile("temporal: {namespace: x}\n");
        Files.setPosixFilePermissions(noSecret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("x", ClusterConfig.load(noSecret, base()).namespace(), "no secret: any mode");
    }

    @Test
    void forbiddenLocalModeNeedsATemporalAddress() throws Exception {
        Map<String, String> env = base();
        env.put("MONA_LOCAL", "forbid");
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env));
        assertTrue(e.getMessage().contains("TEMPORAL_ADDRESS") && e.getMessage().contains("forbid"), e.getMessage());
        Path f = configFile("local: forbid\n");
        assertThrows(ConfigException.class, () -> ClusterConfig.load(f, base()));
        env.put("TEMPORAL_ADDRESS", "t:7233");
        env.put("MONA_S3_ENDPOINT", "http://h:9000");
        env.put("MONA_S3_ACCESS_KEY", "a");
        env.put("MONA_S3_SECRET_KEY", "b");
        assertEquals("t:7233", ClusterConfig.load(null, env).temporalAddress());
        env.put("MONA_LOCAL", "never");
        assertTrue(assertThrows(ConfigException.class, () -> ClusterConfig.load(null, env)).getMessage()
                .contains("'never'"));
        assertTrue(ClusterConfig.load(null, base()).local(), "allowed by default");
    }
}
