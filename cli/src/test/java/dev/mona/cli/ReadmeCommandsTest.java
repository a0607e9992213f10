package dev.mona.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every command README.md shows, run the way a reader would run it, so that a README example cannot break unnoticed.
 *
 * <p>The rule for what counts as a command, applied to README.md itself on every run:
 * <ol>
 *   <li>every line of a {@code ```bash} block (a trailing {@code # comment} removed);</li>
 *   <li>every backtick span that starts with {@code ./mona } or holds {@code  ./mona } after environment
 *       assignments (a bare {@code mona VERB} in prose names a verb, it is not a command to type);</li>
 *   <li>every synopsis in the first column of the command-line table ({@code | verb | what it does |}).</li>
 * </ol>
 * Each command of (1) and (2) is listed in {@link #COMMANDS}: run from the checkout's root through the real
 * {@code ./mona} script with bash (in local mode, against a fresh data directory), as written in the default suite,
 * or at a small size through documented options in the default suite and as written under the {@code slow} tag,
 * or as written under {@code slow} only, or not at all, each exception with its reason.
 * The test fails when README.md shows a command that is not listed, and when a listed command is no longer shown.
 * Each synopsis of (3) is checked against the verb's {@code --help}: the verb exists and has every option the
 * synopsis names (that is also how {@code ./mona VERB --help} is run, for every verb).
 */
class ReadmeCommandsTest {
    /**
     * One command of the README and how this test runs it.
     *
     * @param command    as README.md shows it
     * @param inDefault  what the default suite runs (the command, or a smaller form of it), or null
     * @param inSlow     what the {@code slow} group runs (the command as written where it can be run), or null
     * @param reason     why the default suite does not run the command as written
     * @param check      what the output must show beyond exit 0
     */
    record Entry(String command, String inDefault, String inSlow, String reason, Consumer<Output> check) {
    }

    /** What a command printed. */
    record Output(int code, String out, String err) {
    }

    private static final Consumer<Output> NO_CHECK = o -> { };

    private static Entry asWritten(String command, Consumer<Output> check) {
        return new Entry(command, command, null, null, check);
    }

    /** A smaller form of the command (documented options only) in the default suite, as written under slow. */
    private static Entry small(String command, String small, String reason) {
        return new Entry(command, small, command, reason, NO_CHECK);
    }

    /** As written, under slow only. */
    private static Entry slow(String command, String reason) {
        return new Entry(command, null, command, reason, NO_CHECK);
    }

    private static Entry notRun(String command, String reason) {
        return new Entry(command, null, null, reason, NO_CHECK);
    }

    /**
     * Every command README.md shows, in the order they run (the 1-D run fills the stage cache the Airflow command
     * reuses). The default suite's share took 3 min 23 s on the shared 2-core build machine (the 1-D run 2 min 50 s).
     */
    static final List<Entry> COMMANDS = List.of(
            asWritten("./mona run offline-dna -m mona -s limit=32 -s epochs=1 -s align.steps=2 --wait", o ->
                    assertTrue(o.out().contains("COMPLETED"), o.out())),
            asWritten("./mona --version", ReadmeCommandsTest::versionNamesTheCommit),
            asWritten("./mona completion bash", o -> assertTrue(o.out().contains("complete -F _complete_mona"),
                    o.out())),
            // "Your own data": the example spec's data, its check and storage, and one show
            asWritten("python3 infra/tasks/waves.py", o -> assertTrue(o.out().contains("test.csv (90 rows)"), o.out())),
            asWritten("./mona tasks add infra/tasks/waves.yaml", o ->
                    assertTrue(o.out().matches("(?s)task +waves \\(waves@[0-9a-f]{10}\\).*"), o.out())),
            asWritten("./mona tasks show waves", o -> assertTrue(o.out().contains("sha256:"), o.out())),
            slow("./mona run infra/tasks/waves.yaml -m ft -s source.limit=6000 -s source.epochs=2 --wait",
                    "pretrains the source ViT and fine-tunes 2 epochs, 2 minutes; TaskSpecCliTest runs the same "
                    + "flow (add, show, run, predict) at tiny size"),
            slow("./mona predict \"$(./mona run waves -m ft -s source.limit=6000 -s source.epochs=2 --dry-run "
                    + "--format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"workflowId\"])')\" "
                    + "infra/tasks/waves/test.csv -o predictions.csv", "needs the run above"),
            small("./mona bench train-step --size vit-tiny --steps 30 --format json",
                    "./mona bench train-step --size vit-tiny --steps 2 --format json", "30 steps: 2 suffice here"),
            small("./mona bench train-step --size vit-tiny --steps 30 --precision bf16 --format json",
                    "./mona bench train-step --size vit-tiny --steps 2 --precision bf16 --format json",
                    "30 steps: 2 suffice here"),
            small("./mona bench gemm-floor --format json", "./mona bench gemm-floor --steps 2 --format json",
                    "20 steps of each product"),
            // the Airflow DAG's command (mona_dag.py) with its first task and method for TASK and M, small data
            // through documented -s overrides; the DAG keeps the last stdout line, which must be the whole result
            // (LauncherTest checks the same through ./mona in the default suite)
            new Entry("./mona run TASK --method M --wait --format json", null,
                    "./mona run offline-dna --method ft --wait --format json -s limit=32 -s epochs=1",
                    "placeholders; a second run of 1-2 minutes", ReadmeCommandsTest::lastLineIsTheWholeResult),
            slow("MONA_JAVA_OPTS=\"-Xms2g -Xmx2g -XX:+AlwaysPreTouch\" ./mona bench train-memory --size vit-tiny",
                    "550 training steps, about 2 minutes"),
            slow("./mona bench meta-step --size vit-tiny --format json", "20 meta-steps and a TorchScript build"),
            slow("./mona demo", "runs about 9 minutes (the demo sweep; CliVerbsTest runs a small sweep)"),
            slow("./mona demo --no-cache", "runs about 9 minutes"),
            slow("./mona sweep infra/sweeps/compare-spoken-digits-full.yaml --watch", "12 runs, about 10 minutes"),
            asWritten("./mona sweep infra/sweeps/paper/nb360.yaml --plan", o ->
                    assertTrue(o.out().contains("120 runs = 10 tasks x 4 methods x 3 seeds"), o.out())),
            notRun("infra/setup.sh && mvn -B -ntp test", "the test suite itself, which holds this test; "
                    + "infra/setup.sh installs system packages as root (./mona demo runs it, under slow)"),
            notRun("./mona VERB ...", "a pattern: every verb's synopsis is checked in verbSynopsesMatchTheirHelp"),
            notRun("./mona VERB --help", "a pattern: run for every verb in verbSynopsesMatchTheirHelp"));

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void config() throws Exception {
        Files.writeString(tmp.resolve("config.yaml"), "{}\n"); // no user configuration: local mode, fresh store
    }

    @Test
    void everyReadmeCommandIsListed() throws Exception {
        Set<String> shown = commands(readme());
        Set<String> listed = new LinkedHashSet<>();
        COMMANDS.forEach(e -> listed.add(e.command()));
        Set<String> unlisted = new TreeSet<>(shown);
        unlisted.removeAll(listed);
        assertTrue(unlisted.isEmpty(), "README.md shows commands this test neither runs nor lists with a reason: "
                + unlisted);
        Set<String> stale = new TreeSet<>(listed);
        stale.removeAll(shown);
        assertTrue(stale.isEmpty(), "listed here but no longer in README.md: " + stale);
    }

    @Test
    void verbSynopsesMatchTheirHelp() throws Exception {
        List<String> synopses = synopses(readme());
        assertTrue(synopses.size() >= 15, "command-line table not found: " + synopses);
        Set<String> documented = new TreeSet<>();
        for (String synopsis : synopses) {
            String[] words = synopsis.split("\\s+");
            CommandLine line = Main.commandLine();
            List<String> path = new ArrayList<>();
            for (String w : words) {
                CommandLine sub = line.getSubcommands().get(w);
                if (sub == null) {
                    break;
                }
                line = sub;
                path.add(w);
            }
            assertFalse(path.isEmpty(), "'" + synopsis + "' names no verb of mona");
            documented.add(path.get(0));
            Matcher m = Pattern.compile("(?<=^|[\\s\\[|])(--?[A-Za-z][\\w-]*)").matcher(synopsis);
            while (m.find()) {
                assertNotNull(line.getCommandSpec().findOption(m.group(1)), "'" + synopsis + "': "
                        + String.join(" ", path) + " has no option " + m.group(1));
            }
            List<String> help = new ArrayList<>(path);
            help.add("--help");
            StringWriter out = new StringWriter();
            int code = Main.execute(help.toArray(String[]::new), Map.of(), new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true));
            assertEquals(0, code, "./mona " + String.join(" ", help));
            assertTrue(out.toString().startsWith("Usage: mona " + String.join(" ", path)), out.toString());
        }
        Set<String> verbs = new TreeSet<>(Main.commandLine().getSubcommands().keySet());
        verbs.remove("help");
        verbs.removeAll(documented);
        assertTrue(verbs.isEmpty(), "verbs missing from README's command-line table: " + verbs);
    }

    @TestFactory
    Stream<DynamicTest> readmeCommandsInTheDefaultSuite() {
        return COMMANDS.stream().filter(e -> e.inDefault() != null).map(e -> DynamicTest.dynamicTest(e.inDefault(),
                () -> e.check().accept(runOk(e.inDefault(), 15))));
    }

    @Tag("slow")
    @TestFactory
    Stream<DynamicTest> readmeCommandsAsWritten() {
        return COMMANDS.stream().filter(e -> e.inSlow() != null).map(e -> DynamicTest.dynamicTest(e.inSlow(),
                () -> e.check().accept(runOk(e.inSlow(), 90))));
    }

    /** Runs {@code command} with bash in the checkout's root, in local mode; asserts exit 0. */
    private static Output runOk(String command, int minutes) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TEMPORAL_") || k.startsWith("MONA_S3_") || k.startsWith("AWS_")
                || k.equals("MONA_LOCAL") || k.equals("MONA_JAVA_OPTS"));
        env.put("MONA_DATA_DIR", tmp.resolve("data").toString());
        env.put("MONA_CONFIG", tmp.resolve("config.yaml").toString());
        env.put("MONA_CLASSPATH", System.getProperty("java.class.path")); // the classes under test, no build
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(command + ": still running after " + minutes + " minutes\n" + tail(err));
        }
        Output o = new Output(p.exitValue(), Files.readString(out), Files.readString(err));
        assertEquals(0, o.code(), command + "\n--- stdout\n" + tail(out) + "\n--- stderr\n" + tail(err));
        return o;
    }

    private static String tail(Path file) throws Exception {
        String s = Files.readString(file);
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    /** What Airflow keeps: the last line of stdout, which must be the complete result. */
    private static void lastLineIsTheWholeResult(Output o) {
        List<String> lines = o.out().lines().toList();
        assertFalse(lines.isEmpty(), "no stdout");
        JsonNode n;
        try {
            n = Verb.JSON.readTree(lines.get(lines.size() - 1));
        } catch (Exception e) {
            throw new AssertionError("last stdout line is not JSON: " + lines.get(lines.size() - 1), e);
        }
        assertEquals("COMPLETED", n.get("status").asText(), o.out());
        assertTrue(n.get("workflowId").asText().startsWith("transfer-offline-dna-ft-s0-"), o.out());
        assertTrue(n.get("result").get("testMetric").isNumber(), o.out());
        assertTrue(n.get("result").get("artifacts").has("manifest"), o.out());
    }

    /** {@code mona 0.1.0-SNAPSHOT (git commit 0123456789ab)}: the commit of this checkout. */
    private static void versionNamesTheCommit(Output o) {
        Matcher m = Pattern.compile("mona (\\S+) \\(git commit ([0-9a-f]{12})(-dirty)?\\)").matcher(o.out().strip());
        assertTrue(m.matches(), o.out());
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").directory(ROOT.toFile())
                    .start();
            assertEquals(new String(git.getInputStream().readAllBytes()).strip(), m.group(2));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> readme() throws Exception {
        return Files.readAllLines(ROOT.resolve("README.md"));
    }

    /** Rules (1) and (2) of the class comment. */
    static Set<String> commands(List<String> readme) {
        Set<String> out = new LinkedHashSet<>();
        Pattern span = Pattern.compile("`([^`]+)`");
        Pattern command = Pattern.compile("^(?:[A-Z_]+=(?:\"[^\"]*\"|\\S+)\\s+)*\\./mona\\s.*");
        String fence = null;
        for (String line : readme) {
            if (line.startsWith("```")) {
                fence = fence == null ? line.substring(3).strip() : null;
                continue;
            }
            if (fence != null) {
                String cmd = line.replaceFirst("\\s+#.*$", "").strip();
                if (fence.equals("bash") && !cmd.isEmpty()) {
                    out.add(cmd);
                }
                continue;
            }
            Matcher m = span.matcher(line);
            while (m.find()) {
                String s = m.group(1).replace("\\|", "|").strip();
                if (command.matcher(s).matches()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Rule (3): the synopses in the first column of the command-line table. */
    static List<String> synopses(List<String> readme) {
        List<String> out = new ArrayList<>();
        int i = readme.indexOf("| verb | what it does |");
        assertTrue(i >= 0, "README.md has no '| verb | what it does |' table");
        for (i += 2; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            String first = readme.get(i).split("(?<!\\\\)\\|")[1];
            Matcher m = Pattern.compile("`([^`]+)`").matcher(first);
            while (m.find()) {
                out.add(m.group(1).replace("\\|", "|").strip());
            }
        }
        return out;
    }
}
