package dev.mona.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mona.core.config.ConfigKey;
import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The run configuration at the command line: every key's bad value is bad input naming the key, keys that do not
 * apply are refused with the reason, {@code --dry-run} shows the resolved configuration and submits nothing, equal
 * configurations spelled differently get one run id, and the README's table is the registry's.
 */
class RunConfigCliTest {
    @TempDir
    Path tmp;

    private Map<String, String> local() {
        return Map.of("MONA_DATA_DIR", tmp.resolve("data").toString(), "HOME", tmp.toString());
    }

    static Stream<ConfigKey> keys() {
        return ConfigKeys.ALL.stream();
    }

    /** A run of offline-pde-darcy (ViT source) whose method the key applies to. */
    private static String method(ConfigKey k) {
        return k.applies().methods().isEmpty() ? "ft" : k.applies().methods().get(0);
    }

    /** offline-pde-darcy, or offline-dna (a text source) for a key of 1-D tasks only. */
    private static String task(ConfigKey k) {
        return k.applies().inputDims() == 1 ? "offline-dna" : "offline-pde-darcy";
    }

    private static String bad(ConfigKey k) {
        if (k.type() instanceof ConfigKey.Int i) {
            return Long.toString(i.max() + 1);
        }
        return k.type() instanceof ConfigKey.Real ? "0x1p3" : "maybe";
    }

    @ParameterizedTest
    @MethodSource("keys")
    void everyKeysBadValueExitsTwoNamingTheKey(ConfigKey k) throws Exception {
        // a key of one source (source.set: swin-base) is shown by a dry run on that source
        String source = k.applies().encoder() != null ? k.applies().encoder()
                : k.applies().inputDims() == 1 ? "minilm" : "fashion-mnist-vit";
        Cli.Result r = Cli.run(local(), "run", task(k), "-m", method(k), "--source", source, "--dry-run",
                "--set", k.name() + "=" + bad(k));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains(k.name()), r.err());
        Cli.Result ok = Cli.run(local(), "run", task(k), "-m", method(k), "--source", source,
                "--dry-run", "--format", "json");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(Verb.JSON.readTree(ok.out()).get("config").has(k.name()), k.name() + " missing: " + ok.out());
        assertFalse(Files.exists(tmp.resolve("data")), "a dry run writes nothing");
    }

    @Test
    void keysThatDoNotApplyAreRefusedWithTheReason() {
        Cli.Result r = Cli.run(local(), "run", "offline-pde-darcy", "-m", "ft", "--dry-run", "--set", "align.steps=2");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("align.steps") && r.err().contains("mona"), r.err());
        Cli.Result src = Cli.run(local(), "run", "offline-dna", "-m", "ft", "--dry-run", "--set", "source.limit=10");
        assertEquals(ExitCodes.BAD_INPUT, src.code(), src.toString());
        assertTrue(src.err().contains("source.limit") && src.err().contains("fashion-mnist-vit"), src.err());
        Cli.Result big = Cli.run(local(), "run", "offline-pde-darcy", "--dry-run", "--set", "epochs=99999999999");
        assertEquals(ExitCodes.BAD_INPUT, big.code(), big.toString());
        assertTrue(big.err().contains("out of range"), big.err());
    }

    @Test
    void sourceSamplesBeyondWhatTheSourceGivesExitTwoNamingTheMaximum() throws Exception {
        // MiniLM's source stage takes 2 x source.samples of SpamAssassin's 6,046 e-mails: at most 3023
        Cli.Result dna = Cli.run(local(), "run", "offline-dna", "-m", "ft", "--set", "source.samples=3024");
        assertEquals(ExitCodes.BAD_INPUT, dna.code(), dna.toString());
        assertTrue(dna.err().contains("source.samples=3024") && dna.err().contains("at most 3023")
                && dna.err().contains("minilm"), dna.err());
        assertEquals(0, Cli.run(local(), "run", "offline-dna", "-m", "ft", "--dry-run", "--set",
                "source.samples=3023").code());
        // the ViT's probe set takes source.samples of Fashion-MNIST's 10,000 test images
        Cli.Result darcy = Cli.run(local(), "run", "offline-pde-darcy", "-m", "ft", "--set", "source.samples=10001");
        assertEquals(ExitCodes.BAD_INPUT, darcy.code(), darcy.toString());
        assertTrue(darcy.err().contains("source.samples=10001") && darcy.err().contains("10000"), darcy.err());
        // a sweep checks each of its runs: the DNA run of this one asks for too much
        Path spec = tmp.resolve("big-source.yaml");
        Files.writeString(spec, "tasks: [offline-pde-darcy, offline-dna]\nmethods: [ft]\nseeds: [0]\n"
                + "config: {source.samples: 5000}\n");
        Cli.Result sweep = Cli.run(local(), "sweep", spec.toString());
        assertEquals(ExitCodes.BAD_INPUT, sweep.code(), sweep.toString());
        assertTrue(sweep.err().contains("source.samples=5000") && sweep.err().contains("at most 3023"), sweep.err());
        assertFalse(Files.exists(tmp.resolve("data")), "nothing is submitted or written");
    }

    @Test
    void aSweepKeyMustApplyToSomeRun() throws Exception {
        Path spec = tmp.resolve("sweep.yaml");
        Files.writeString(spec, "tasks: [offline-pde-darcy]\nmethods: [ft, emb]\nseeds: [0]\n"
                + "config: {mona.lambda: 0.3}\n");
        Cli.Result r = Cli.run(local(), "sweep", spec.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("mona.lambda") && r.err().contains("no run of the sweep"), r.err());
    }

    @Test
    void dryRunShowsTheResolvedConfigurationAndOneRunIdPerConfiguration() throws Exception {
        Cli.Result plain = Cli.run(local(), "run", "offline-pde-darcy", "-m", "mona", "--dry-run", "--format", "json",
                "--set", "epochs=3", "--set", "lr=0.001");
        assertEquals(0, plain.code(), plain.toString());
        JsonNode n = Verb.JSON.readTree(plain.out());
        assertEquals("3", n.get("config").get("epochs").asText());
        assertEquals("0.1", n.get("config").get("mona.alpha").asText(), "alpha is its own default, not lr");
        assertEquals("0.1", n.get("config").get("mona.lambda").asText());
        assertEquals("200", n.get("config").get("align.steps").asText());
        Cli.Result spelled = Cli.run(local(), "run", "OFFLINE-PDE-DARCY", "-m", "MONA", "--dry-run", "--format",
                "json", "--set", "epochs= 03", "--set", "lr=1e-3", "--source", "fashion-mnist-vit");
        assertEquals(n.get("workflowId"), Verb.JSON.readTree(spelled.out()).get("workflowId"));
        Cli.Result other = Cli.run(local(), "run", "offline-pde-darcy", "-m", "mona", "--dry-run", "--format",
                "json", "--set", "epochs=4", "--set", "lr=0.001");
        assertNotEquals(n.get("workflowId"), Verb.JSON.readTree(other.out()).get("workflowId"));
        Cli.Result table = Cli.run(local(), "run", "offline-pde-darcy", "-m", "mona", "--dry-run", "--set",
                "epochs=3");
        assertTrue(table.out().contains("dry run") && table.out().lines().anyMatch(l -> l.matches(
                "epochs +3 +set")) && table.out().lines().anyMatch(l -> l.startsWith("mona.lambda ")),
                table.out());
        assertFalse(Files.exists(tmp.resolve("data")), "a dry run writes nothing");
    }

    @Test
    void tasksKeysListsEveryKeyWithTypeDefaultAndMeaning() throws Exception {
        Cli.Result r = Cli.run(local(), "tasks", "--keys", "--format", "json");
        assertEquals(0, r.code(), r.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode k : Verb.JSON.readTree(r.out())) {
            names.add(k.get("key").asText());
            assertFalse(k.get("type").asText().isBlank() || k.get("meaning").asText().isBlank()
                    || k.get("default").asText().isBlank(), k.toString());
            if (k.get("key").asText().equals("epochs")) {
                assertTrue(k.get("taskDefaults").has("offline-pde-darcy"), k.toString());
            }
            if (k.get("key").asText().equals("target-seq-len")) {
                assertEquals("64", k.get("taskDefaults").get("nb360-ecg").asText(), k.toString());
                assertFalse(k.get("taskDefaults").has("nb360-darcy"), "a 2-D task has no 1-D token budget");
            }
            if (k.get("key").asText().equals("orca.per-class")) {
                assertEquals("64", k.get("taskDefaults").get("nb360-deepsea").asText(), k.toString());
            }
        }
        assertEquals(ConfigKeys.ALL.stream().map(ConfigKey::name).toList(), names);
        assertTrue(RunContext.METHODS.contains("mona"));
    }

    @Test
    void readmeKeysTableIsTheRegistrys() throws Exception {
        Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
        String text = Files.readString(readme);
        assertTrue(text.contains(TasksCommand.keysMarkdown()), "README.md's configuration table differs from "
                + "'mona tasks --keys --format markdown':\n" + TasksCommand.keysMarkdown());
    }
}
