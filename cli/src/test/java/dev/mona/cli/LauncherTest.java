package dev.mona.cli;

import dev.mona.workers.ServerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@code ./mona} script itself: {@code mona server} in one process, {@code mona run --wait --format json} (what the
 * Airflow example runs; its last stdout line is the whole result) in another, then a bad request, and a user error
 * that only a stage can find (offline data missing on the worker). MONA_CLASSPATH makes the script use the test
 * class path instead of building.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private static Path script() {
        Path p = Path.of("..", "mona").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(p), p + " missing");
        return p;
    }

    private ProcessBuilder mona(List<String> args, Map<String, String> env) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(script().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("MONA_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("MONA_JAVA_OPTS", "-Xmx768m");
        pb.environment().remove("TEMPORAL_ADDRESS");
        return pb;
    }

    /** The malloc block of each launcher, run alone with {@code env}: what it leaves in GLIBC_TUNABLES. */
    private static String tunables(Path launcher, Map<String, String> env) throws Exception {
        String text = Files.readString(launcher);
        int from = text.indexOf("case \"${MONA_MALLOC_TUNING");
        int to = text.indexOf("esac", from);
        assertTrue(from > 0 && to > from, "no malloc block in " + launcher);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", text.substring(from, to + 4)
                + "\nprintf '%s' \"${GLIBC_TUNABLES:-}\"");
        pb.environment().remove("GLIBC_TUNABLES");
        pb.environment().remove("MONA_MALLOC_TUNING");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes());
    }

    @Test
    void launchersTuneMallocUnlessTold() throws Exception {
        String want = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"
                + ":glibc.malloc.arena_max=1";
        for (Path launcher : List.of(script(), script().resolveSibling("infra/docker/mona.sh"),
                script().resolveSibling("infra/docker/mona-worker.sh"))) {
            assertEquals(want, tunables(launcher, Map.of()), launcher.toString());
            assertEquals("glibc.rtld.nns=2:" + want, tunables(launcher, Map.of("GLIBC_TUNABLES", "glibc.rtld.nns=2")));
            assertEquals("", tunables(launcher, Map.of("MONA_MALLOC_TUNING", "off")));
            assertEquals("glibc.malloc.arena_max=4", tunables(launcher, Map.of("GLIBC_TUNABLES",
                    "glibc.malloc.arena_max=4")), "the user's own malloc tunables win");
        }
    }

    @Test
    void aUserErrorInsideAStageFailsAfterOneAttemptAndExitsTwo() throws Exception {
        // the workers of local mode run in this process and find no offline data: only the stage can know that
        Path empty = Files.createDirectories(tmp.resolve("no-offline-data"));
        Process run = mona(List.of("run", "offline-dna", "--method", "ft", "--wait", "--set", "limit=12"),
                Map.of("MONA_DATA_DIR", tmp.resolve("data").toString(), "HOME", tmp.toString(), "MONA_DATA",
                        empty.toString())).redirectOutput(tmp.resolve("run.out").toFile()).start();
        String err = new String(run.getErrorStream().readAllBytes());
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        assertEquals(ExitCodes.BAD_INPUT, run.exitValue(), err);
        String verdict = err.lines().filter(l -> l.startsWith("mona: run ")).reduce((a, b) -> b).orElse("");
        assertTrue(verdict.contains("failed") && verdict.contains("not found (looked at " + empty)
                && verdict.contains("infra/setup.sh"), err);
        // every failed attempt is logged at WARN: exactly one, and it says it is final
        List<String> attempts = err.lines().filter(l -> l.contains(" WARN ") && l.matches(
                ".* attempt \\d+ of transfer-offline-dna-.* failed.*")).toList();
        assertEquals(1, attempts.size(), err);
        assertTrue(attempts.get(0).contains(" attempt 1 of ") && attempts.get(0).contains("(not retried)")
                && attempts.get(0).contains("[MissingData]"), attempts.get(0));
    }

    @Test
    void serverAndRunThroughTheScript() throws Exception {
        Path data = tmp.resolve("data");
        Map<String, String> env = Map.of("MONA_DATA_DIR", data.toString(), "HOME", tmp.toString());
        Process server = mona(List.of("server", "--port", "0", "--s3-port", "0"), env).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (ServerInfo.find(data).isEmpty()) {
                assertTrue(server.isAlive(), "server died: " + Files.readString(tmp.resolve("server.log")));
                assertTrue(System.currentTimeMillis() < deadline, "server did not start");
                Thread.sleep(200);
            }
            Process run = mona(List.of("run", "offline-pde-darcy", "--method", "ft", "--wait", "--format", "json",
                    "--set", "limit=12", "--set", "batch=4", "--set", "epochs=1", "--set", "source.samples=20",
                    "--set", "source.limit=600", "--set", "source.epochs=1", "--set", "probe.epochs=5"), env).redirectError(tmp.resolve("run.err").toFile())
                    .start();
            String out = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, run.exitValue(), out + Files.readString(tmp.resolve("run.err")));
            // Airflow's BashOperator pushes the last stdout line to XCom: it must be the whole result
            var n = Verb.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
            assertEquals("COMPLETED", n.get("status").asText(), out);
            assertTrue(n.get("result").get("testMetric").asDouble() >= 0, out);
            assertTrue(n.get("result").get("artifacts").has("manifest"), out);

            Process bad = mona(List.of("run", "nope", "--format", "json"), env).start();
            String badOut = new String(bad.getInputStream().readAllBytes());
            String badErr = new String(bad.getErrorStream().readAllBytes());
            assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
            assertEquals(ExitCodes.BAD_INPUT, bad.exitValue());
            assertTrue(badErr.contains("unknown task 'nope'"), badErr);
            assertEquals(2, Verb.JSON.readTree(badOut).get("exitCode").asInt());
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook removes server.json
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(ServerInfo.file(data)), "server.json left behind");
    }
}
