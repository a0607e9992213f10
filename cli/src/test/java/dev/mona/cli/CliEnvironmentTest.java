package dev.mona.cli;

import dev.mona.workers.EmbeddedS3;
import dev.mona.workers.LoopbackTemporal;
import dev.mona.workers.Ports;
import dev.mona.workers.ServerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A wrong environment: read-only commands against a misspelled bucket (an environment error naming it, and no bucket
 * created), a malformed endpoint, a misspelled config key, local mode forbidden: exit 3, one line, no stack trace.
 */
class CliEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void readOnlyCommandsNameTheMissingBucketAndCreateNothing() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "test", "test-secret-123", "a free port");
             LoopbackTemporal temporal = LoopbackTemporal.start(0, "a free port")) {
            Map<String, String> env = Map.of("TEMPORAL_ADDRESS", temporal.address(), "MONA_S3_ENDPOINT",
                    s3.endpoint(), "MONA_S3_ACCESS_KEY", "test", "MONA_S3_SECRET_KEY", "test-secret-123",
                    "MONA_S3_BUCKET", "monna-typo", "MONA_DATA_DIR", dir.resolve("data").toString());
            for (List<String> args : List.of(List.of("artifacts", "ls"), List.of("ls"),
                    List.of("artifacts", "get", "runs/x/manifest.json", "-o", dir.resolve("m.json").toString()),
                    List.of("results", "transfer-x"))) {
                Cli.Result r = Cli.run(env, args.toArray(String[]::new));
                assertEquals(ExitCodes.ENVIRONMENT, r.code(), args + ": " + r);
                assertTrue(r.err().contains("'monna-typo'"), args + ": " + r);
            }
            assertFalse(Files.exists(dir.resolve("s3").resolve("monna-typo")), "a read-only command created it");
        }
    }

    @Test
    void configurationErrorsAreEnvironmentErrorsWithoutAStackTrace() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "temporal: {adress: 127.0.0.1:7233}\n");
        Map<String, String> data = Map.of("MONA_DATA_DIR", dir.resolve("data").toString());
        List<Map.Entry<Map<String, String>, String>> cases = List.of(
                Map.entry(Map.of("MONA_S3_ENDPOINT", "not a url", "MONA_S3_ACCESS_KEY", "a", "MONA_S3_SECRET_KEY",
                        "b"), "'not a url'"),
                Map.entry(Map.of("MONA_S3_ENDPOINT", "ftp://h:21", "MONA_S3_ACCESS_KEY", "a", "MONA_S3_SECRET_KEY",
                        "b"), "http(s)://host:port"),
                Map.entry(Map.of("MONA_CONFIG", file.toString()), "unknown key 'temporal.adress'"),
                Map.entry(Map.of("MONA_LOCAL", "forbid"), "TEMPORAL_ADDRESS"));
        for (Map.Entry<Map<String, String>, String> c : cases) {
            Map<String, String> env = new java.util.HashMap<>(data);
            env.putAll(c.getKey());
            Cli.Result r = Cli.run(env, "ls");
            assertEquals(ExitCodes.ENVIRONMENT, r.code(), c + ": " + r);
            assertTrue(r.err().contains(c.getValue()), c + ": " + r);
            assertFalse(r.err().contains("\tat "), "a stack trace: " + r);
        }
    }

    /**
     * A port in use is an environment error naming it and its option, for either server, with no stack trace; the
     * server that had started is stopped again (its port free) and no server.json is left.
     */
    @Test
    void serverOnAPortInUseNamesThePortAndReleasesTheOther() throws Exception {
        Map<String, String> env = Map.of("MONA_DATA_DIR", dir.resolve("data").toString(), "HOME", dir.toString());
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = busy.getLocalPort();
            Cli.Result s3 = Cli.run(env, "server", "--port", "0", "--s3-port", String.valueOf(taken));
            assertEquals(ExitCodes.ENVIRONMENT, s3.code(), s3.toString());
            assertTrue(s3.err().contains("port " + taken + " on 127.0.0.1 is in use; choose another with --s3-port"),
                    s3.toString());
            assertFalse(s3.err().contains("\tat "), "a stack trace: " + s3);

            int s3Port = Ports.free();
            Cli.Result temporal = Cli.run(env, "server", "--port", String.valueOf(taken), "--s3-port",
                    String.valueOf(s3Port));
            assertEquals(ExitCodes.ENVIRONMENT, temporal.code(), temporal.toString());
            assertTrue(temporal.err().contains("port " + taken + " on 127.0.0.1 is in use; choose another with "
                    + "--port"), temporal.toString());
            assertFalse(temporal.err().contains("\tat "), "a stack trace: " + temporal);
            try (ServerSocket again = new ServerSocket(s3Port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(s3Port, again.getLocalPort(), "s3proxy kept its port after the failed start");
            }
        }
        assertFalse(Files.exists(ServerInfo.file(dir.resolve("data"))), "server.json written by a failed start");
    }
}
