package dev.mona.core.pretrained;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.data.HostTensor;
import dev.mona.core.data.TaskData;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.Losses;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.metric.Metrics;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;
import dev.mona.core.model.VitConfig;
import dev.mona.core.model.VitEncoder;
import dev.mona.core.offline.FashionMnist;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.train.OptimizerKind;
import dev.mona.core.train.TrainConfig;
import dev.mona.core.train.TrainResult;
import dev.mona.core.train.Trainer;
import dev.mona.core.train.TrainerOptions;
import dev.mona.core.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pretrains a small ViT on Fashion-MNIST: the offline image source encoder (no ImageNet, CIFAR or published
 * weights are reachable offline). The result holds the encoder's parameters (timm names, its patch projection and
 * position embedding are the <em>source embedder</em>) and the classification head, and is saved as one
 * safetensors file: {@code encoder.*} and {@code head.*} with the configuration and test accuracy as metadata.
 */
public final class Pretrain {
    private static final Logger LOG = LoggerFactory.getLogger(Pretrain.class);

    private Pretrain() {}

    /**
     * What to pretrain and how.
     *
     * @param vit            encoder configuration (input 1 x 28 x 28)
     * @param train          optimisation settings
     * @param validationSize training images held out for model selection
     * @param trainLimit     use at most this many training images (0: all 55,000 left after validation)
     * @param seed           initialisation, hold-out and shuffle seed
     */
    public record Config(VitConfig vit, TrainConfig train, int validationSize, int trainLimit, long seed) {
        /** Pretraining epochs of {@link #fashionMnist()} (a constant: the pretrain command's help names it). */
        public static final int EPOCHS = 4;

        /**
         * The default Fashion-MNIST source encoder, sized to pretrain in a few CPU minutes on two cores: ViT,
         * patch 7 (4 x 4 = 16 tokens), width 64, depth 2, 4 heads, MLP 128, no class token; AdamW lr 2e-3 decaying
         * linearly to 0, weight decay 0.05, batch 128, {@value #EPOCHS} epochs, gradient clip 1, all 55,000 training
         * images. Measured (AMD EPYC Zen 5, 2 vCPU, quiet): 86.25 % test accuracy in 33 s; the linear probe of its
         * pooled features reaches 13.9 % held-out error with 5,000 labelled samples a set (the ViT's default
         * {@code source.samples}), 16.8 % with 800: the probe's fit set, not the encoder's size, held the error above
         * 15 %, so the architecture (and every fine-tuning step's cost) stays.
         */
        public static Config fashionMnist() {
            return new Config(new VitConfig(28, 7, 1, 64, 2, 4, 128, false, 1e-6),
                    new TrainConfig(EPOCHS, 128, 1, OptimizerKind.ADAMW, 2e-3, 0.05, 0.9, 0, 1.0), 5000, 0, 0);
        }
    }

    /**
     * The pretrained source model.
     *
     * @param encoder       the encoder
     * @param model         encoder + head (parameter names {@code encoder.*}, {@code head.*})
     * @param params        trained parameters of {@code model}
     * @param testAccuracy  accuracy on the 10,000 Fashion-MNIST test images, in [0, 1]
     * @param seconds       wall-clock pretraining time (training and validation, without data loading)
     * @param training      the trainer's history
     */
    public record Result(VitEncoder encoder, SourceClassifier model, Params params, double testAccuracy,
                         double seconds, TrainResult training) {
        /** The encoder's parameters (its own names, source embedder included). */
        public Params encoderParams() {
            return params.scope(SourceClassifier.ENCODER);
        }

        /** The source embedder (patch projection + position embedding), evaluated over {@link #encoderParams()}. */
        public Module sourceEmbedder() {
            return encoder.sourceEmbedder();
        }

        /** The head's parameters ({@code head.weight}, {@code head.bias}). */
        public Params headParams() {
            return params.scope(SourceClassifier.HEAD + ".").prefixed(SourceClassifier.HEAD + ".");
        }
    }

    /** Pretrains on Fashion-MNIST from {@code data}; writes the safetensors file to {@code output} when non-null. */
    public static Result fashionMnist(NDManager manager, OfflineData data, Config config, Path output) {
        FashionMnist fashion = new FashionMnist(data);
        TaskData task = fashion.taskData(config.validationSize(), config.seed());
        if (config.trainLimit() > 0 && config.trainLimit() < task.train().size()) {
            task = new TaskData(task.train().size() == 0 ? task.train()
                    : dev.mona.core.offline.Splits.take(task.train(),
                    java.util.Arrays.copyOf(dev.mona.core.offline.Splits.permutation(task.train().size(),
                            config.seed() + 7), config.trainLimit())), task.validation(), task.test());
        }
        return run(manager, task, 10, config, output, "fashion-mnist");
    }

    /** Pretrains on any classification task data of {@code classes} classes. */
    public static Result run(NDManager manager, TaskData task, int classes, Config config, Path output,
                             String dataName) {
        VitEncoder encoder = config.vit().build();
        SourceClassifier model = new SourceClassifier(encoder, classes);
        Params params = model.initialise(manager, DataType.FLOAT32, new SplittableRandom(config.seed()));
        Trainer trainer = new Trainer(model, Losses.of(LossKind.CROSS_ENTROPY), MetricKind.ERROR_RATE,
                config.train(), TrainerOptions.seeded(config.seed()).withListener(new TrainingListener() {
                    @Override
                    public void onStep(Progress p) {
                        if (p.step() % 100 == 0) {
                            LOG.info("pretraining step {}/{} (epoch {}) loss {}", p.step(), p.totalSteps(), p.epoch(),
                                    String.format("%.4f", p.loss()));
                        }
                    }
                }));
        long start = System.nanoTime();
        TrainResult result = trainer.fit(manager, params, task);
        double seconds = (System.nanoTime() - start) / 1e9;
        HostTensor pred = Trainer.predict(model, manager, params, task.test().x(), 500);
        double accuracy = 1 - Metrics.score(MetricKind.ERROR_RATE, pred, task.test().y()) / 100.0;
        LOG.info("pretrained {} on {} ({} train images): test accuracy {} in {} s", config.vit(), dataName,
                task.train().size(), String.format("%.4f", accuracy), String.format("%.1f", seconds));
        Result r = new Result(encoder, model, params, accuracy, seconds, result);
        if (output != null) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("mona.kind", "pretrained-source-encoder");
            meta.put("mona.architecture", "vit");
            meta.put("mona.vit", config.vit().toString());
            meta.put("mona.train", config.train().toString());
            meta.put("mona.data", dataName);
            meta.put("mona.test_accuracy", Double.toString(accuracy));
            meta.put("mona.seconds", Double.toString(seconds));
            meta.put("mona.seed", Long.toString(config.seed()));
            ParamsIO.save(output, params, meta);
        }
        return r;
    }

    /** Reads a file written by {@link #run} back into the parameters of {@code model} (strict names and shapes). */
    public static Params load(Path file, SourceClassifier model, NDManager manager) {
        Params fresh = model.initialise(manager, DataType.FLOAT32, new SplittableRandom(0));
        return ParamsIO.load(file, fresh, manager, true).params();
    }
}
