package dev.mona.cli;

import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.TransferMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

@Command(name = "demo", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"The quick start: installs the offline data (infra/setup.sh) when needed, then sweeps FT, "
                + "Emb, ORCA and MoNA over two offline tasks of different modalities with small settings, showing "
                + "progress, and ends with the results table and the paths of the plots."})
final class DemoCommand extends Verb {
    @Override
    java.util.Set<Format> formats() {
        return java.util.EnumSet.allOf(Format.class);
    }

    /**
     * The demo's tasks, both offline, both in front of the ViT pretrained here on Fashion-MNIST: audio (log-mel
     * spoken digits, classification) and a 2-D PDE field (Darcy flow, dense regression).
     */
    static final List<String> TASKS = List.of("offline-spoken-digits", "offline-pde-darcy");

    /**
     * Small settings: the demo shows the whole system in minutes on two cores, not the paper's numbers. Sized to
     * show learning (measured: digits test error ~44-50 % against 90 % chance, Darcy relative L2 ~0.46-0.49, ~8 min
     * on two shared cores): 500 samples a split and 10 epochs at 2e-3 for both tasks (at the digits task's own 1e-4 the
     * loss hardly moves in a few epochs; with 64 samples and 2 epochs the error stayed at chance).
     */
    static final Map<String, String> SETTINGS = Map.ofEntries(Map.entry("limit", "500"), Map.entry("epochs", "10"),
            Map.entry("batch", "16"), Map.entry("lr", "2e-3"), Map.entry("source.samples", "100"),
            Map.entry("source.limit", "6000"), Map.entry("source.epochs", "2"), Map.entry("align.epochs", "2"),
            Map.entry("align.steps", "10"));

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "mona-results",
            description = "Where the plots go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--no-cache", description = "Recompute every stage.")
    boolean noCache;

    @Option(names = "--skip-setup", description = "Do not run infra/setup.sh.")
    boolean skipSetup;

    @Override
    public Integer call() throws Exception {
        if (!skipSetup) {
            setup();
        }
        SweepRequest request = new SweepRequest("demo", TASKS, List.of(0L),
                List.of(TransferMethod.FT, TransferMethod.EMB, TransferMethod.ORCA, TransferMethod.MONA), "",
                SETTINGS, 2, noCache, null);
        return SweepRunner.run(this, request, true, !json(), null, outDir);
    }

    /** Runs {@code infra/setup.sh} of the checkout once (a marker in the data directory remembers it). */
    private void setup() throws Exception {
        String home = System.getProperty("mona.home");
        if (home == null) {
            return;
        }
        Path script = Path.of(home, "infra", "setup.sh");
        Path marker = config().dataDir().resolve("setup.done");
        if (!Files.isExecutable(script) || Files.exists(marker)) {
            return;
        }
        note("mona: installing the offline data (" + script + ")");
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new CliException(ExitCodes.ENVIRONMENT, script + " failed; run it by hand to see why");
        }
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, java.time.Instant.now().toString());
    }
}
