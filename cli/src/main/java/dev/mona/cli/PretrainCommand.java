package dev.mona.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pretrain", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Pretrain an offline source encoder (e.g. on Fashion-MNIST). Needs dev.mona.core's offline "
                + "pretraining, which this build does not have yet (exit 2).")
final class PretrainCommand extends Verb {
    @Parameters(index = "0", paramLabel = "ENCODER", defaultValue = "fashion-mnist")
    String encoder;

    @Override
    public Integer call() {
        throw new CliException(ExitCodes.BAD_INPUT, "pretrain '" + encoder + "' needs the offline pretraining of "
                + "dev.mona.core, which this build does not have yet; the interim source encoder is pretrained "
                + "automatically by the source stage");
    }
}
