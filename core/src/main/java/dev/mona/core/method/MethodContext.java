package dev.mona.core.method;

import ai.djl.ndarray.NDManager;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.TaskData;
import dev.mona.core.metric.Loss;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.metric.Scorer;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.TrainConfig;
import dev.mona.core.train.TrainerOptions;

/**
 * Everything a method needs for one transfer run.
 *
 * @param model          the target model {@code h(f(e(x)))}
 * @param manager        owns {@code params}
 * @param params         embedder, pretrained encoder and fresh predictor (updated in place by both stages)
 * @param target         the target task's splits
 * @param classification whether target values are class ids (ORCA uses k-means pseudo-classes otherwise)
 * @param source         the labelled source set (ORCA, MoNA, probes); may be null for Scratch, FT and Emb
 * @param loss           the task loss
 * @param metric         the target metric (lower is better)
 * @param stage2         the shared fine-tuning settings
 * @param options        trainer options of stage 2 (seed, checkpoints, listeners)
 * @param validationScorer the validation split's evaluation protocol (model selection)
 * @param testScorer     the test split's evaluation protocol
 * @param stage1         progress listeners and checkpoints of stage 1
 */
public record MethodContext(TransferModel model, NDManager manager, Params params, TaskData target,
                            boolean classification, DataSplit source, Loss loss, MetricKind metric,
                            TrainConfig stage2, TrainerOptions options, Scorer validationScorer,
                            Scorer testScorer, Stage1Options stage1) {
    /** A context whose stage 1 neither reports progress nor checkpoints ({@link Stage1Options#none()}). */
    public MethodContext(TransferModel model, NDManager manager, Params params, TaskData target,
                         boolean classification, DataSplit source, Loss loss, MetricKind metric, TrainConfig stage2,
                         TrainerOptions options, Scorer validationScorer, Scorer testScorer) {
        this(model, manager, params, target, classification, source, loss, metric, stage2, options,
                validationScorer, testScorer, Stage1Options.none());
    }

    /** A context whose splits are scored by the metric alone, row by row. */
    public MethodContext(TransferModel model, NDManager manager, Params params, TaskData target,
                         boolean classification, DataSplit source, Loss loss, MetricKind metric, TrainConfig stage2,
                         TrainerOptions options) {
        this(model, manager, params, target, classification, source, loss, metric, stage2, options,
                Scorer.of(metric), Scorer.of(metric));
    }

    /** This context with stage-1 settings {@code stage1}. */
    public MethodContext withStage1(Stage1Options stage1) {
        return new MethodContext(model, manager, params, target, classification, source, loss, metric, stage2,
                options, validationScorer, testScorer, stage1);
    }

    /** The labelled source set, or a typed error naming the method that needs it. */
    public DataSplit requireSource(String method) {
        if (source == null || source.size() == 0) {
            throw new IllegalArgumentException(method + " needs a labelled source set (for example Fashion-MNIST "
                    + "for an image encoder, SpamAssassin for a text encoder); none was given");
        }
        return source;
    }
}
