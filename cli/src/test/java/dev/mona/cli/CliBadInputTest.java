package dev.mona.cli;

import dev.mona.workers.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input and a bad environment: a clear message, the documented non-zero exit code, nothing written. */
class CliBadInputTest {
    @TempDir
    Path tmp;

    private Map<String, String> local() {
        return Map.of("MONA_DATA_DIR", tmp.resolve("data").toString(), "HOME", tmp.toString());
    }

    private void assertNothingWritten() throws Exception {
        Path data = tmp.resolve("data");
        assertTrue(!Files.exists(data) || Files.list(data).findAny().isEmpty(), "something was written to " + data);
    }

    @Test
    void unknownTaskIsBadInputAndWritesNothing() throws Exception {
        Cli.Result r = Cli.run(local(), "run", "no-such-task", "--method", "ft");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("unknown task 'no-such-task'") && r.err().contains("offline-pde-darcy"), r.err());
        assertNothingWritten();
    }

    @Test
    void unknownTaskWithJsonFormatPrintsAJsonError() throws Exception {
        Cli.Result r = Cli.run(local(), "run", "no-such-task", "--format", "json");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        var node = Verb.JSON.readTree(r.out());
        assertEquals(2, node.get("exitCode").asInt());
        assertTrue(node.get("error").asText().contains("no-such-task"));
    }

    @Test
    void unknownMethodAndOverrideKeyAreBadInput() throws Exception {
        Cli.Result m = Cli.run(local(), "run", "offline-dna", "--method", "sgd");
        assertEquals(ExitCodes.BAD_INPUT, m.code(), m.toString());
        assertTrue(m.err().contains("unknown method 'sgd'"), m.err());
        Cli.Result k = Cli.run(local(), "run", "offline-dna", "--set", "epoch=3");
        assertEquals(ExitCodes.BAD_INPUT, k.code(), k.toString());
        assertTrue(k.err().contains("unknown configuration key 'epoch'") && k.err().contains("epochs"), k.err());
        Cli.Result v = Cli.run(local(), "run", "offline-dna", "--set", "lr=fast");
        assertEquals(ExitCodes.BAD_INPUT, v.code(), v.toString());
        assertTrue(v.err().contains("lr='fast'"), v.err());
        assertNothingWritten();
    }

    @Test
    void malformedSweepSpecsAreBadInput() throws Exception {
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "name: x\ntasks: [offline-dna\nmethods: [ft]\n");
        Cli.Result r = Cli.run(local(), "sweep", broken.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("not valid YAML") && r.err().contains("broken.yaml"), r.err());

        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, "name: x\ntasks: [offline-dna]\nmethod: [ft]\nseeds: [0]\n");
        Cli.Result t = Cli.run(local(), "sweep", typo.toString());
        assertEquals(ExitCodes.BAD_INPUT, t.code(), t.toString());
        assertTrue(t.err().contains("unknown key 'method'"), t.err());

        Path missing = tmp.resolve("missing.yaml");
        Files.writeString(missing, "name: x\ntasks: [offline-dna]\nseeds: [0]\n");
        Cli.Result m = Cli.run(local(), "sweep", missing.toString());
        assertEquals(ExitCodes.BAD_INPUT, m.code(), m.toString());
        assertTrue(m.err().contains("missing 'methods'"), m.err());

        Path badTask = tmp.resolve("task.yaml");
        Files.writeString(badTask, "tasks: [offline-dna, nope]\nmethods: [ft]\nseeds: [0]\n");
        Cli.Result b = Cli.run(local(), "sweep", badTask.toString());
        assertEquals(ExitCodes.BAD_INPUT, b.code(), b.toString());
        assertTrue(b.err().contains("unknown task 'nope'"), b.err());
        assertNothingWritten();
    }

    @Test
    void unknownSweepSourceIsBadInput() throws Exception {
        Path spec = tmp.resolve("source.yaml");
        Files.writeString(spec, "tasks: [offline-dna]\nmethods: [ft]\nseeds: [0]\nsource: bogus\n");
        Cli.Result r = Cli.run(local(), "sweep", spec.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("'bogus'"), r.err());
        assertNothingWritten();
    }

    @Test
    void unreachableServerIsAnEnvironmentError() {
        int port = Ports.free();
        Map<String, String> env = Map.of("TEMPORAL_ADDRESS", "127.0.0.1:" + port, "MONA_S3_ENDPOINT",
                "http://127.0.0.1:" + Ports.free(), "MONA_S3_ACCESS_KEY", "a", "MONA_S3_SECRET_KEY", "b",
                "MONA_DATA_DIR", tmp.resolve("data").toString());
        for (String[] args : new String[][]{{"status", "some-run"}, {"run", "offline-dna", "--method", "ft"},
                {"ls"}}) {
            Cli.Result r = Cli.run(env, args);
            assertEquals(ExitCodes.ENVIRONMENT, r.code(), r.toString());
            assertTrue(r.err().contains("127.0.0.1:" + port + " is unreachable"), r.err());
        }
    }

    @Test
    void missingCredentialsAreAnEnvironmentError() throws Exception {
        Map<String, String> env = Map.of("TEMPORAL_ADDRESS", "127.0.0.1:7233", "MONA_S3_ENDPOINT",
                "http://127.0.0.1:9000", "MONA_DATA_DIR", tmp.resolve("data").toString());
        Cli.Result r = Cli.run(env, "run", "offline-dna", "--method", "ft");
        assertEquals(ExitCodes.ENVIRONMENT, r.code(), r.toString());
        assertTrue(r.err().contains("missing S3 credentials") && r.err().contains("MONA_S3_ACCESS_KEY"), r.err());
        Cli.Result noStore = Cli.run(Map.of("TEMPORAL_ADDRESS", "127.0.0.1:7233"), "ls");
        assertEquals(ExitCodes.ENVIRONMENT, noStore.code(), noStore.toString());
        assertTrue(noStore.err().contains("MONA_S3_ENDPOINT"), noStore.err());
        assertNothingWritten();
    }

    @Test
    void queriesWithoutAServerSayHowToStartOne() throws Exception {
        for (String verb : new String[]{"status", "watch", "cancel", "results", "export"}) {
            Cli.Result r = Cli.run(local(), verb, "x");
            assertEquals(ExitCodes.ENVIRONMENT, r.code(), verb + ": " + r);
            assertTrue(r.err().contains("mona server"), r.err());
        }
        assertNothingWritten();
    }

    @Test
    void usageErrorsAndUnavailableFeatures() {
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "frobnicate").code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "run").code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "run", "offline-dna", "--seed", "x").code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local()).code());
        Cli.Result meta = Cli.run(local(), "bench", "meta-step", "--size", "huge");
        assertEquals(ExitCodes.BAD_INPUT, meta.code());
        assertTrue(meta.err().contains("'huge'") && meta.err().contains("vit-tiny"), meta.err());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "bench", "meta-step", "--hvp", "second").code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "bench", "train-memory", "--early", "9", "--late", "3")
                .code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "pretrain", "imagenet").code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "pretrain", "--epochs", "0").code());
        // the help names core's pretraining length, not a copy of it
        Cli.Result pretrainHelp = Cli.run(local(), "pretrain", "--help");
        assertTrue(pretrainHelp.out().contains("default: core's, "
                + dev.mona.core.pretrained.Pretrain.Config.EPOCHS + ")"), pretrainHelp.out());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "bench", "train-step", "--size", "huge").code());
        Cli.Result src = Cli.run(local(), "bench", "meta-step", "--source", "4x1");
        assertEquals(ExitCodes.BAD_INPUT, src.code());
        assertTrue(src.err().contains("'4x1'") && src.err().contains("KxM"), src.err());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "bench", "meta-step", "--source", "four").code());
        Cli.Result floor = Cli.run(local(), "bench", "gemm-floor", "--size", "swin-base");
        assertEquals(ExitCodes.BAD_INPUT, floor.code());
        assertTrue(floor.err().contains("'swin-base'") && floor.err().contains("vit-tiny"), floor.err());
        Cli.Result matmul = Cli.run(local(), "bench", "gemm-floor", "--matmul", "mkl");
        assertEquals(ExitCodes.BAD_INPUT, matmul.code());
        assertTrue(matmul.err().contains("'mkl'") && matmul.err().contains("auto, blas or onednn"), matmul.err());
        Cli.Result precision = Cli.run(local(), "bench", "train-step", "--precision", "fp16");
        assertEquals(ExitCodes.BAD_INPUT, precision.code());
        assertTrue(precision.err().contains("'fp16'") && precision.err().contains("float32 or bf16"),
                precision.err());
        // MoNA's meta-step stays float32
        Cli.Result metaBf16 = Cli.run(local(), "bench", "meta-step", "--precision", "bf16");
        assertEquals(ExitCodes.BAD_INPUT, metaBf16.code());
        assertTrue(metaBf16.err().contains("train-step and train-memory only"), metaBf16.err());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "worker", "--role", "cook").code());
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(local(), "artifacts").code());
        Map<String, String> remote = Map.of("TEMPORAL_ADDRESS", "127.0.0.1:1", "MONA_S3_ENDPOINT", "http://x:1",
                "MONA_S3_ACCESS_KEY", "a", "MONA_S3_SECRET_KEY", "b");
        assertEquals(ExitCodes.BAD_INPUT, Cli.run(remote, "server").code());
        Cli.Result farPort = Cli.run(local(), "server", "--port", "70000");
        assertEquals(ExitCodes.BAD_INPUT, farPort.code(), farPort.toString());
        assertTrue(farPort.err().contains("--port 70000 is outside 0 to 65535"), farPort.err());
        Cli.Result samePorts = Cli.run(local(), "server", "--port", "7300", "--s3-port", "7300");
        assertEquals(ExitCodes.BAD_INPUT, samePorts.code(), samePorts.toString());
        assertTrue(samePorts.err().contains("--port and --s3-port are both 7300"), samePorts.err());
    }

    @Test
    void offlineVerbsWork() throws Exception {
        Cli.Result tasks = Cli.run(local(), "tasks", "--format", "json");
        assertEquals(0, tasks.code(), tasks.toString());
        var names = Verb.JSON.readTree(tasks.out()).findValuesAsText("name");
        assertTrue(names.contains("offline-dna") && names.contains("offline-pde-darcy"), names.toString());
        Cli.Result keys = Cli.run(local(), "tasks", "--keys");
        assertTrue(keys.out().contains("epochs") && keys.out().contains("align.epochs"), keys.out());
        Cli.Result bench = Cli.run(local(), "bench", "train-step", "--steps", "2", "--format", "json");
        assertEquals(0, bench.code(), bench.toString());
        assertTrue(Verb.JSON.readTree(bench.out()).get("ms_per_step").asDouble() > 0, bench.out());
        Cli.Result help = Cli.run(local(), "run", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Exit codes") && help.out().contains("not found"), help.out());
    }
}
