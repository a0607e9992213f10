package dev.mona.activities.stage;

import ai.djl.ndarray.NDManager;
import dev.mona.activities.Settings;
import dev.mona.activities.interim.InterimMlp;
import dev.mona.activities.interim.InterimTasks;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.model.Params;
import dev.mona.core.offline.FashionMnist;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.pretrained.MiniLm;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.pretrained.SpamAssassin;
import dev.mona.core.task.TaskSpec;
import dev.mona.core.train.TrainConfig;
import dev.mona.workflows.InvalidRequestException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Source stage: the pretrained source encoder and its labelled source sets. Catalogue tasks use core's offline
 * encoders: {@code fashion-mnist-vit} (a ViT pretrained here on Fashion-MNIST, for image-like inputs) and
 * {@code minilm} (all-MiniLM-L6-v2, a real text-pretrained BERT, for 1-D inputs; source text: SpamAssassin).
 */
public final class SourceStage {
    private SourceStage() {}

    public static final String IMPLEMENTATION = "core:pretrained-sources";
    public static final String INTERIM_IMPLEMENTATION = "interim:mlp-source-pretraining-v1";
    public static final String INTERIM_ENCODER = "interim-mlp";
    public static final String VIT = "fashion-mnist-vit";
    public static final String MINILM = "minilm";

    /** The default source encoder of a catalogue task: by its encoder family (swin: images, roberta: 1-D). */
    public static String encoderFor(TaskSpec t) {
        return "roberta".equals(t.encoder()) ? MINILM : VIT;
    }

    /** The encoder name to use for {@code task}, a typed error for one that cannot serve it. */
    public static String resolve(String requested, String task) {
        boolean interim = TaskStage.interim(task);
        String dflt = interim ? INTERIM_ENCODER : encoderFor(TaskStage.spec(task));
        String name = requested == null || requested.isBlank() ? dflt : requested;
        List<String> allowed = interim ? List.of(INTERIM_ENCODER) : List.of(VIT, MINILM);
        if (!allowed.contains(name)) {
            throw new InvalidRequestException("unknown source encoder '" + name + "' for task " + task
                    + "; available: " + String.join(", ", allowed));
        }
        return name;
    }

    public static String implementation(String encoder) {
        return INTERIM_ENCODER.equals(encoder) ? INTERIM_IMPLEMENTATION : IMPLEMENTATION;
    }

    public static String[] configKeys(String encoder) {
        return switch (encoder) {
            case INTERIM_ENCODER -> new String[]{"width", "source.samples", "source.epochs", "lr", "batch"};
            case VIT -> new String[]{"source.samples", "source.epochs", "source.limit"};
            default -> new String[]{"source.samples"};
        };
    }

    /** The labelled source set of the interim encoder. */
    public static DataSplit sourceSet(Settings s, long seed) {
        return InterimTasks.sourceSet(s.integer("source.samples"), seed);
    }

    /** Source weights (safetensors, encoder-local names) plus the labelled source and probe sets. */
    public record Prepared(Path weights, DataSplit sourceSet, DataSplit probeSet, int classes) {
    }

    /** Prepares a core source encoder: writes its weights to {@code weightsFile}. */
    public static Prepared prepareCore(String encoder, Settings s, NDManager manager, Path weightsFile) {
        OfflineData data = OfflineData.fromEnvironment();
        int n = s.integer("source.samples");
        if (VIT.equals(encoder)) {
            Pretrain.Config d = Pretrain.Config.fashionMnist();
            TrainConfig t = d.train();
            TrainConfig train = t.withEpochs(s.overridden("source.epochs") ? s.integer("source.epochs") : t.epochs());
            Pretrain.Config cfg = new Pretrain.Config(d.vit(), train, d.validationSize(), s.count("source.limit"),
                    d.seed());
            Pretrain.Result r = Pretrain.fashionMnist(manager, data, cfg, null);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("mona.kind", "pretrained-source-encoder");
            meta.put("mona.vit", cfg.vit().toString());
            meta.put("mona.test_accuracy", Double.toString(r.testAccuracy()));
            ParamsIO.save(weightsFile, r.encoderParams(), meta);
            FashionMnist fashion = new FashionMnist(data);
            // class-balanced sets need a multiple of 10
            int m = Math.max(10, n / 10 * 10);
            return new Prepared(weightsFile, fashion.sourceSet(m, 0), fashion.probeSet(m, 0), 10);
        }
        Params p = MiniLm.params(manager, MiniLm.weights());
        ParamsIO.save(weightsFile, p, Map.of("mona.kind", "pretrained-source-encoder", "mona.encoder",
                "all-MiniLM-L6-v2"));
        SpamAssassin.LabelledText text = new SpamAssassin(data).load(2 * n, 64, SpamAssassin.Labels.GROUPS, 0);
        DataSplit all = text.asDataSplit();
        // alternate rows: both halves keep the load's class balance
        int[] even = java.util.stream.IntStream.range(0, all.size()).filter(i -> i % 2 == 0).toArray();
        int[] odd = java.util.stream.IntStream.range(0, all.size()).filter(i -> i % 2 == 1).toArray();
        return new Prepared(weightsFile, new DataSplit(all.x().rows(even), all.y().rows(even)),
                new DataSplit(all.x().rows(odd), all.y().rows(odd)), text.classes());
    }

    /**
     * Pretrains the interim encoder (with its source embedding layer) on the source set. Returns {@code encoder.*}
     * and the source head {@code source.head.*}.
     */
    public static Map<String, HostTensor> pretrain(DataSplit sourceSet, Settings s, long seed,
                                                   InterimMlp.StepListener listener) {
        int width = s.integer("width");
        Map<String, HostTensor> p = InterimMlp.initialise(16, 16, width, 4, seed);
        long step = 0;
        for (int e = 0; e < s.integer("source.epochs"); e++) {
            InterimMlp.trainEpoch(p, "encoder.source", "predictor", sourceSet, Set.of("encoder", "predictor"),
                    s.number("lr"), s.integer("batch"), seed + e, step, listener);
            step += (sourceSet.size() + s.integer("batch") - 1) / s.integer("batch");
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("encoder.")) {
                out.put(k, v);
            } else if (k.startsWith("predictor.")) {
                out.put("source.head." + k.substring("predictor.".length()), v);
            }
        });
        return out;
    }
}
