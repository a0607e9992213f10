package dev.mona.cli;

import dev.mona.core.bench.BenchSizes;
import dev.mona.core.bench.TrainStepBench;
import dev.mona.core.bench.TrainStepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Time training steps on this machine (core's TrainStepBench): train-step --size vit-tiny|"
                + "swin-base|roberta-base.", "meta-step is not wired to the command line yet (exit 2)."})
final class BenchCommand extends Verb {
    @Parameters(index = "0", paramLabel = "WHAT", description = "train-step or meta-step.")
    String what;

    @Option(names = "--size", defaultValue = "vit-tiny", description = "Model size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--steps", defaultValue = "20", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
        switch (what) {
            case "train-step" -> {
                if (!BenchSizes.names().contains(size)) {
                    throw new CliException(ExitCodes.BAD_INPUT, "unknown bench size '" + size + "'; choose one of "
                            + BenchSizes.names());
                }
                if (steps < 1) {
                    throw new CliException(ExitCodes.BAD_INPUT, "--steps must be at least 1");
                }
                TrainStepResult r = TrainStepBench.run(size, steps);
                if (json()) {
                    out().println(r.toJson());
                } else {
                    out().printf("train-step %s on %s (%d threads, batch %d): %.1f ms/step over %d steps%n",
                            r.size(), r.device(), r.threads(), r.batch(), r.msPerStep(), steps);
                }
                out().flush();
                return ExitCodes.OK;
            }
            case "meta-step" -> throw new CliException(ExitCodes.BAD_INPUT, "bench meta-step is not wired to the "
                    + "command line yet; core's dev.mona.core.method.MetaStepBench runs it from Java");
            default -> throw new CliException(ExitCodes.BAD_INPUT, "unknown bench '" + what
                    + "'; choose train-step or meta-step");
        }
    }
}
