package dev.mona.cli;

import dev.mona.activities.interim.InterimMlp;
import dev.mona.activities.interim.InterimTasks;
import dev.mona.core.data.TaskData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

@Command(name = "bench", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Time one training step (train-step) or one MoNA meta-step (meta-step) on this machine.",
                "train-step currently times the interim model of the fine-tune stage; meta-step needs "
                        + "dev.mona.core's bench API, not on this build yet (exit 2)."})
final class BenchCommand extends Verb {
    @Parameters(index = "0", paramLabel = "WHAT", description = "train-step or meta-step.")
    String what;

    @Option(names = "--steps", defaultValue = "50", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--width", defaultValue = "64", description = "Token width (default: ${DEFAULT-VALUE}).")
    int width;

    @Override
    public Integer call() {
        switch (what) {
            case "train-step" -> {
                TaskData d = InterimTasks.generate("synthetic-sines", batch * (steps + 5), 0);
                var p = InterimMlp.initialise(d.train().x().rowSize(), 16, width, 4, 0);
                // warm-up: JIT compilation
                InterimMlp.trainEpoch(p, "embedder", "predictor", new dev.mona.core.data.DataSplit(
                        d.train().x().slice(0, batch * 5), d.train().y().slice(0, batch * 5)),
                        Set.of("embedder", "encoder", "predictor"), 0.01, batch, 0, 0, null);
                var timed = new dev.mona.core.data.DataSplit(d.train().x().slice(batch * 5, batch * (steps + 5)),
                        d.train().y().slice(batch * 5, batch * (steps + 5)));
                long t0 = System.nanoTime();
                InterimMlp.trainEpoch(p, "embedder", "predictor", timed, Set.of("embedder", "encoder", "predictor"),
                        0.01, batch, 1, 0, null);
                double ms = (System.nanoTime() - t0) / 1e6 / steps;
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("bench", "train-step");
                o.put("implementation", "interim:mlp-sgd-v1");
                o.put("batch", batch);
                o.put("width", width);
                o.put("steps", steps);
                o.put("msPerStep", ms);
                if (json()) {
                    printJson(o);
                } else {
                    out().printf("train-step (interim:mlp-sgd-v1, batch %d, width %d): %.3f ms/step over %d steps%n",
                            batch, width, ms, steps);
                    out().flush();
                }
                return ExitCodes.OK;
            }
            case "meta-step" -> throw new CliException(ExitCodes.BAD_INPUT, "bench meta-step needs the MoNA meta-step "
                    + "bench of dev.mona.core, which this build does not have yet");
            default -> throw new CliException(ExitCodes.BAD_INPUT, "unknown bench '" + what
                    + "'; choose train-step or meta-step");
        }
    }
}
