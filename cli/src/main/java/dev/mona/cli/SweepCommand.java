package dev.mona.cli;

import dev.mona.workflows.SweepRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

@Command(name = "sweep", mixinStandardHelpOptions = true, footer = {ExitCodes.HELP,
        "%nSpec (YAML):%n  name: demo                 # 1-64 letters, digits, '.', '_', '-'%n"
                + "  tasks: [offline-spoken-digits, offline-pde-darcy]%n  methods: [ft, emb, orca, mona]%n"
                + "  seeds: [0, 1]              # at most 10000 runs (tasks x methods x seeds)%n"
                + "  maxConcurrent: 2           # runs in flight at once%n"
                + "  config: {epochs: 3}        # overrides (each must apply to some run)%n"
                + "%n--plan checks the spec and prints its runs, the files they fetch and an estimate of their hours "
                + "(tokens x width^2 x layers x training passes, priced by a bench train-step figure) without "
                + "submitting anything: no server or store is needed. csv and markdown print the runs table.%n"},
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

    @Option(names = "--plan", description = "Check the spec and print its runs, downloads and estimated hours; "
            + "submit nothing.")
    boolean plan;

    @Option(names = "--calibration", paramLabel = "FILE", description = "--plan: price the estimate with this saved "
            + "'mona bench train-step --format json' figure (default: time " + CostModel.CALIBRATION_STEPS + " "
            + CostModel.CALIBRATION_SIZE + " steps on this machine's device now).")
    Path calibration;

    @Override
    public Integer call() throws Exception {
        SweepRequest request = SweepSpec.read(spec, noCache, null);
        if (!plan) {
            if (calibration != null) {
                throw new CliException(ExitCodes.BAD_INPUT, "--calibration prices a --plan; add --plan or drop it");
            }
            return SweepRunner.run(this, request, waitFlag, watchFlag, timeout, outDir);
        }
        for (String o : List.of("--wait", "--watch", "--timeout", "--out")) {
            // super.spec: this verb's 'spec' field is the YAML file
            if (super.spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new CliException(ExitCodes.BAD_INPUT, o + " follows a submitted sweep; --plan submits nothing: "
                        + "drop one of them");
            }
        }
        SweepRequest canonical = RequestChecks.canonical(request);
        CostModel.Calibration cal = calibration == null ? CostModel.measure() : CostModel.read(calibration);
        printPlan(SweepPlan.of(canonical, cal));
        return ExitCodes.OK;
    }

    private void printPlan(SweepPlan p) {
        switch (format) {
            case json -> printJson(p.json());
            case csv -> {
                out().println(String.join(",", SweepPlan.COLUMNS));
                p.runs().forEach(r -> out().println(String.join(",", SweepPlan.cells(r))));
            }
            case markdown -> {
                out().println("| " + String.join(" | ", SweepPlan.COLUMNS) + " |");
                out().println("|" + "---|".repeat(SweepPlan.COLUMNS.size()));
                p.runs().forEach(r -> out().println("| " + String.join(" | ", SweepPlan.cells(r)) + " |"));
            }
            default -> {
                out().println(p.headline());
                List<List<String>> runs = new ArrayList<>();
                runs.add(SweepPlan.COLUMNS.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
                p.runs().forEach(r -> runs.add(SweepPlan.cells(r)));
                aligned(runs, "");
                out().println(p.downloadLine());
                List<List<String>> files = new ArrayList<>();
                p.downloads().forEach(d -> files.add(List.of(d.owner(), d.file(), SweepPlan.gb(d.bytes())
                        + (d.bytes() < 0 ? "" : " GB"))));
                aligned(files, "  ");
                out().println(p.estimateLine());
                out().println(p.calibrationLine());
            }
        }
        out().flush();
    }

    /** Rows in columns as wide as their widest cell. */
    private void aligned(List<List<String>> rows, String indent) {
        int[] width = new int[rows.isEmpty() ? 0 : rows.get(0).size()];
        rows.forEach(row -> {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        });
        for (List<String> row : rows) {
            StringBuilder b = new StringBuilder(indent);
            for (int i = 0; i < width.length; i++) {
                b.append(String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            }
            out().println(b.toString().stripTrailing());
        }
    }
}
