package dev.mona.core.task;

import dev.mona.core.fetch.DataFile;
import dev.mona.core.metric.LossKind;
import dev.mona.core.metric.LossOptions;
import dev.mona.core.metric.MetricKind;
import dev.mona.core.train.TrainConfig;

import java.util.List;

/**
 * A task of the catalogue: what the data looks like, how it is scored and how it is fine-tuned.
 *
 * @param name        catalogue name, e.g. {@code nb360-darcy}, {@code pdebench-advection}, {@code offline-digits}
 * @param family      {@code nb360}, {@code pdebench} or {@code offline}
 * @param modality    e.g. {@code image}, {@code spherical}, {@code pde-2d}, {@code protein}, {@code emg},
 *                    {@code audio}, {@code ecg}, {@code satellite}, {@code genomics}, {@code pde-1d}
 * @param inputShape  shape of one input sample (C, H, W) or (C, L)
 * @param outputShape shape of one target: {@code [classes]} for (multi-label) classification, else the field
 * @param classes     number of classes (0 for dense tasks)
 * @param kind        classification, multi-label or dense
 * @param loss        training loss
 * @param metric      reported metric (lower is better)
 * @param train       stage-2 settings (ORCA's values for the published tasks)
 * @param encoder     default source encoder family: {@code swin} (2-D inputs) or {@code roberta} (1-D inputs)
 * @param files       files to fetch (empty for offline tasks, which are installed or generated locally)
 * @param offline     true when the task needs no internet (installed from a package registry or generated)
 * @param description one line for {@code mona tasks}
 * @param lossOptions settings of {@code loss} (ORCA's positive-class weights for FSD50K and DeepSEA)
 * @param protocol    ORCA's other per-task settings: 1-D token budget, embedder epochs, samples per class
 */
public record TaskSpec(String name, String family, String modality, long[] inputShape, long[] outputShape,
                       int classes, TaskKind kind, LossKind loss, MetricKind metric, TrainConfig train,
                       String encoder, List<DataFile> files, boolean offline, String description,
                       LossOptions lossOptions, TaskProtocol protocol) {
    /** A task with ORCA's common protocol ({@link TaskProtocol#ORCA_DEFAULTS}). */
    public TaskSpec(String name, String family, String modality, long[] inputShape, long[] outputShape,
                    int classes, TaskKind kind, LossKind loss, MetricKind metric, TrainConfig train,
                    String encoder, List<DataFile> files, boolean offline, String description,
                    LossOptions lossOptions) {
        this(name, family, modality, inputShape, outputShape, classes, kind, loss, metric, train, encoder, files,
                offline, description, lossOptions, TaskProtocol.ORCA_DEFAULTS);
    }

    /** A task whose loss takes the default options. */
    public TaskSpec(String name, String family, String modality, long[] inputShape, long[] outputShape,
                    int classes, TaskKind kind, LossKind loss, MetricKind metric, TrainConfig train,
                    String encoder, List<DataFile> files, boolean offline, String description) {
        this(name, family, modality, inputShape, outputShape, classes, kind, loss, metric, train, encoder, files,
                offline, description, LossOptions.defaults());
    }

    /** This task with {@code options} for its loss. */
    public TaskSpec withLossOptions(LossOptions options) {
        return new TaskSpec(name, family, modality, inputShape, outputShape, classes, kind, loss, metric, train,
                encoder, files, offline, description, options, protocol);
    }

    /** This task with ORCA's per-task {@code protocol}. */
    public TaskSpec withProtocol(TaskProtocol p) {
        return new TaskSpec(name, family, modality, inputShape, outputShape, classes, kind, loss, metric, train,
                encoder, files, offline, description, lossOptions, p);
    }
}
