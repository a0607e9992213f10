package dev.mona.cli;

import ai.djl.ndarray.NDManager;
import dev.mona.core.engine.Engines;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.pretrained.Pretrain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "pretrain", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Pretrain the offline image source encoder: a small ViT on Fashion-MNIST (core's Pretrain; "
                + "needs infra/setup.sh). The source stage of a run does the same by itself; this verb writes the "
                + "encoder to a file and reports its test accuracy."})
final class PretrainCommand extends Verb {
    @Parameters(index = "0", paramLabel = "ENCODER", defaultValue = "fashion-mnist",
            description = "Only fashion-mnist (default).")
    String encoder;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "fashion-mnist-vit.safetensors",
            description = "Output safetensors file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", defaultValue = "" + Pretrain.Config.EPOCHS,
            description = "Epochs (default: core's, ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--limit", defaultValue = "0", description = "At most this many training images (0: all).")
    int limit;

    @Override
    public Integer call() {
        if (!"fashion-mnist".equals(encoder)) {
            throw new CliException(ExitCodes.BAD_INPUT, "unknown encoder '" + encoder + "'; only fashion-mnist "
                    + "can be pretrained offline");
        }
        if (limit < 0 || epochs < 1) {
            throw new CliException(ExitCodes.BAD_INPUT, "--limit must be >= 0 and --epochs >= 1");
        }
        Pretrain.Config d = Pretrain.Config.fashionMnist();
        Pretrain.Config cfg = new Pretrain.Config(d.vit(), d.train().withEpochs(epochs),
                d.validationSize(), limit, d.seed());
        Path target = out.toAbsolutePath();
        try (NDManager m = Engines.newManager(Engines.defaultDevice())) {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
            Pretrain.Result r = Pretrain.fashionMnist(m, OfflineData.fromEnvironment(), cfg, tmp);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("file", target.toString());
            o.put("testAccuracy", r.testAccuracy());
            o.put("seconds", r.seconds());
            if (json()) {
                printJson(o);
            } else {
                out().printf("%s: test accuracy %.4f after %.0f s%n", target, r.testAccuracy(), r.seconds());
                out().flush();
            }
            return ExitCodes.OK;
        } catch (java.io.IOException ex) {
            throw new CliException(ExitCodes.ENVIRONMENT, "cannot write " + target + ": " + ex.getMessage());
        }
    }
}
