package dev.mona.cli;

import dev.mona.workflows.SweepRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "sweep", mixinStandardHelpOptions = true, footer = {ExitCodes.HELP,
        "%nSpec (YAML):%n  name: demo                 # 1-64 letters, digits, '.', '_', '-'%n"
                + "  tasks: [offline-spoken-digits, offline-pde-darcy]%n  methods: [ft, emb, orca, mona]%n"
                + "  seeds: [0, 1]              # at most 10000 runs (tasks x methods x seeds)%n"
                + "  maxConcurrent: 2           # runs in flight at once%n"
                + "  config: {epochs: 3}        # overrides (each must apply to some run)%n"},
        description = {"Run every task x method x seed of SPEC.yaml as child runs, a few at a time, then print the "
                + "results table and write its plots.", "Exit code 1 when any run failed."})
final class SweepCommand extends Verb {
    @Override
    java.util.Set<Format> formats() {
        return java.util.EnumSet.allOf(Format.class);
    }

    @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "Sweep specification.")
    Path spec;

    @Option(names = "--no-cache", description = "Recompute every stage.")
    boolean noCache;

    @Option(names = "--wait", description = "Wait for the sweep (always so in embedded local mode).")
    boolean waitFlag;

    @Option(names = "--watch", description = "Wait and show progress.")
    boolean watchFlag;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = WaitTimeout.class,
            description = "Give up waiting after this long, 1 to 2592000 (30 days) (exit 5).")
    Long timeout;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "mona-results",
            description = "Where the plots go, under DIR/<sweep-id>/ (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        SweepRequest request = SweepSpec.read(spec, noCache, null);
        return SweepRunner.run(this, request, waitFlag, watchFlag, timeout, outDir);
    }
}
