package dev.mona.workers;

import dev.mona.activities.store.StoreConfig;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where mona's servers are. Read from a YAML file, then overridden by the environment:
 * <pre>
 * environment             file key            meaning
 * TEMPORAL_ADDRESS        temporal.address    host:port of the Temporal frontend; unset = embedded local mode
 * TEMPORAL_NAMESPACE      temporal.namespace  namespace (default "default")
 * MONA_S3_ENDPOINT        s3.endpoint         S3 endpoint URL; unset in local mode = embedded s3proxy
 * MONA_S3_BUCKET          s3.bucket           bucket (default "mona")
 * MONA_S3_ACCESS_KEY      s3.accessKey        access key (AWS_ACCESS_KEY_ID also works)
 * MONA_S3_SECRET_KEY      s3.secretKey        secret key (AWS_SECRET_ACCESS_KEY also works)
 * MONA_S3_REGION          s3.region           region (default us-east-1)
 * MONA_DATA_DIR           dataDir             local state: embedded store, local server file (default
 *                                             $XDG_DATA_HOME/mona or ~/.local/share/mona)
 * MONA_GPUS               gpus                GPU worker slots (default: visible GPUs, at least 1)
 * MONA_HEALTH_PORT        health.port         worker probe port (/healthz, /readyz); unset = no health server
 * MONA_SHUTDOWN_GRACE_SECONDS  shutdownGraceSeconds  how long a stopping worker waits for running activities
 *                                             (default 30)
 * MONA_LOCAL              local               {@code allow} (default) or {@code forbid}: with {@code forbid} an unset
 *                                             TEMPORAL_ADDRESS is an error instead of local mode (machine callers)
 * TEMPORAL_TLS_*          temporal.tls.*      TLS towards Temporal, see {@link TemporalTls}
 * </pre>
 * The file is {@code --config FILE}, else {@code MONA_CONFIG}, else {@code ~/.config/mona/config.yaml} when present.
 * It is read strictly: an unknown key at any level is an error naming the key and the known ones (a misspelled
 * {@code adress} would otherwise fall back to local mode unnoticed), and a file holding {@code s3.secretKey} must not
 * be readable by group or others (as ssh does for private keys).
 *
 * @param temporalAddress   Temporal frontend, {@code null} for local mode
 * @param namespace         Temporal namespace
 * @param store             artifact store, {@code null} for the embedded store of local mode
 * @param dataDir           local state directory
 * @param gpus              GPU worker slots
 * @param tls               TLS towards the Temporal frontend, {@code null} for plain text
 * @param healthPort        port of the worker's health endpoints, {@code null} for none
 * @param shutdownGraceSeconds how long a stopping worker waits for its running activities
 */
public record ClusterConfig(String temporalAddress, String namespace, StoreConfig store, Path dataDir, int gpus,
                         TemporalTls tls, Integer healthPort, int shutdownGraceSeconds) {

    /** Every key a config file may hold, flattened with dots. */
    static final Set<String> FILE_KEYS = new TreeSet<>(List.of("temporal.address", "temporal.namespace",
            "temporal.tls.enabled", "temporal.tls.cert", "temporal.tls.key", "temporal.tls.ca",
            "temporal.tls.serverName", "s3.endpoint", "s3.bucket", "s3.accessKey", "s3.secretKey", "s3.region",
            "dataDir", "gpus", "health.port", "shutdownGraceSeconds", "local"));

    /** Drain time of a stopping worker when MONA_SHUTDOWN_GRACE_SECONDS is unset. */
    public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;

    public boolean local() {
        return temporalAddress == null;
    }

    /** Loads from {@code file} (may be null) and the process environment. */
    public static ClusterConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static ClusterConfig load(Path file, Map<String, String> env) {
        Map<String, String> f = new LinkedHashMap<>();
        Path path = file;
        if (path == null && env.get("MONA_CONFIG") != null) {
            path = Path.of(env.get("MONA_CONFIG"));
        }
        if (path == null) {
            Path dflt = Path.of(System.getProperty("user.home"), ".config", "mona", "config.yaml");
            if (Files.exists(dflt)) {
                path = dflt;
            }
        }
        if (path != null) {
            f.putAll(readYaml(path));
        }
        String address = pick(env, f, "TEMPORAL_ADDRESS", "temporal.address", null);
        String namespace = pick(env, f, "TEMPORAL_NAMESPACE", "temporal.namespace", "default");
        String endpoint = pick(env, f, "MONA_S3_ENDPOINT", "s3.endpoint", null);
        String bucket = pick(env, f, "MONA_S3_BUCKET", "s3.bucket", "mona");
        String access = pick(env, f, "MONA_S3_ACCESS_KEY", "s3.accessKey", env.get("AWS_ACCESS_KEY_ID"));
        String secret = pick(env, f, "MONA_S3_SECRET_KEY", "s3.secretKey", env.get("AWS_SECRET_ACCESS_KEY"));
        String region = pick(env, f, "MONA_S3_REGION", "s3.region", "us-east-1");
        String dataDir = pick(env, f, "MONA_DATA_DIR", "dataDir", null);
        String gpus = pick(env, f, "MONA_GPUS", "gpus", null);
        String healthPort = pick(env, f, "MONA_HEALTH_PORT", "health.port", null);
        String grace = pick(env, f, "MONA_SHUTDOWN_GRACE_SECONDS", "shutdownGraceSeconds", null);
        String local = pick(env, f, "MONA_LOCAL", "local", "allow");
        TemporalTls tls = TemporalTls.from(pick(env, f, "TEMPORAL_TLS_ENABLED", "temporal.tls.enabled", null),
                pick(env, f, "TEMPORAL_TLS_CERT", "temporal.tls.cert", null),
                pick(env, f, "TEMPORAL_TLS_KEY", "temporal.tls.key", null),
                pick(env, f, "TEMPORAL_TLS_CA", "temporal.tls.ca", null),
                pick(env, f, "TEMPORAL_TLS_SERVER_NAME", "temporal.tls.serverName", null));

        if (!local.equals("allow") && !local.equals("forbid")) {
            throw new ConfigException("MONA_LOCAL / local must be 'allow' or 'forbid', got '" + local + "'");
        }
        if (address == null && local.equals("forbid")) {
            throw new ConfigException("TEMPORAL_ADDRESS is unset and local mode is forbidden (MONA_LOCAL / local = "
                    + "forbid): set TEMPORAL_ADDRESS (or temporal.address in the config file) to the Temporal "
                    + "frontend host:port");
        }
        StoreConfig store = null;
        if (endpoint != null) {
            checkEndpoint(endpoint);
            if (access == null || secret == null) {
                throw new ConfigException("missing S3 credentials for " + endpoint + ": set MONA_S3_ACCESS_KEY and "
                        + "MONA_S3_SECRET_KEY (or s3.accessKey and s3.secretKey in the config file)");
            }
            store = new StoreConfig(endpoint, bucket, access, secret, region);
        } else if (address != null) {
            throw new ConfigException("TEMPORAL_ADDRESS is set (" + address + ") but no artifact store is: workers "
                    + "on other machines need a shared one. Set MONA_S3_ENDPOINT, MONA_S3_ACCESS_KEY and "
                    + "MONA_S3_SECRET_KEY (or unset TEMPORAL_ADDRESS for local mode)");
        }
        int slots;
        try {
            slots = gpus == null ? Math.max(1, dev.mona.activities.GpuCount.detect()) : Integer.parseInt(gpus.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("MONA_GPUS / gpus must be a whole number, got '" + gpus + "'");
        }
        Integer port = healthPort == null ? null
                : wholeNumber("MONA_HEALTH_PORT / health.port", healthPort, 0, 65535);
        int graceSeconds = grace == null ? DEFAULT_SHUTDOWN_GRACE_SECONDS
                : wholeNumber("MONA_SHUTDOWN_GRACE_SECONDS / shutdownGraceSeconds", grace, 0, Integer.MAX_VALUE);
        return new ClusterConfig(address, namespace, store, dataDir == null ? defaultDataDir(env) : Path.of(dataDir),
                slots, tls, port, graceSeconds);
    }

    /** MinIO accepts only an absolute http(s) URL; anything else would fail later with a stack trace. */
    private static void checkEndpoint(String endpoint) {
        URI uri = null;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            // reported below
        }
        boolean http = uri != null && uri.getScheme() != null
                && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"));
        if (!http || uri.getHost() == null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("MONA_S3_ENDPOINT / s3.endpoint must be an S3 endpoint URL of the form "
                    + "http(s)://host:port (e.g. http://minio.example.org:9000), got '" + endpoint + "'");
        }
    }

    private static int wholeNumber(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw new ConfigException(name + " must be a whole number from " + min + " to " + max + ", got '" + value
                + "'");
    }

    private static String pick(Map<String, String> env, Map<String, String> file, String envKey, String fileKey,
                               String dflt) {
        String v = env.get(envKey);
        if (v != null && !v.isBlank()) {
            return v.trim();
        }
        v = file.get(fileKey);
        return v != null && !v.isBlank() ? v.trim() : dflt;
    }

    static Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "mona")
                : Path.of(System.getProperty("user.home"), ".local", "share", "mona");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> readYaml(Path path) {
        if (!Files.exists(path)) {
            throw new ConfigException("config file " + path + " does not exist");
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(path)) {
            Object doc = new Yaml().load(r);
            if (doc == null) {
                return out;
            }
            if (!(doc instanceof Map)) {
                throw new ConfigException("config file " + path + " must be a YAML mapping (key: value)");
            }
            flatten("", (Map<String, Object>) doc, out);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage(), e);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ConfigException("config file " + path + " is not valid YAML"
                    + (m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)) + ": "
                    + (e.getProblem() != null ? e.getProblem() : e.getContext()), e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ConfigException("config file " + path + " is not valid YAML: " + e.getMessage(), e);
        }
        check(path, out);
        return out;
    }

    /** Unknown keys are errors; a secret must not be readable by anyone but the owner. */
    private static void check(Path path, Map<String, String> keys) {
        for (String k : keys.keySet()) {
            if (!FILE_KEYS.contains(k)) {
                throw new ConfigException("config file " + path + ": unknown key '" + k + "'; known keys: "
                        + String.join(", ", FILE_KEYS));
            }
        }
        if (!keys.containsKey("s3.secretKey")) {
            return;
        }
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX modes on this file system: nothing to compare
        } catch (IOException e) {
            throw new ConfigException("cannot read the mode of config file " + path + ": " + e.getMessage(), e);
        }
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)
                || mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new ConfigException("config file " + path + " holds s3.secretKey but is accessible by others (mode "
                    + PosixFilePermissions.toString(mode) + "): run 'chmod 600 " + path + "'");
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> m, Map<String, String> out) {
        m.forEach((k, v) -> {
            if (v instanceof Map<?, ?> sub) {
                flatten(prefix + k + ".", (Map<String, Object>) sub, out);
            } else {
                out.put(prefix + k, v == null ? null : v.toString()); // an empty key is still checked by name
            }
        });
    }
}
