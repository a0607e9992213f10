package dev.mona.activities.stage;

import ai.djl.ndarray.NDManager;
import dev.mona.core.config.ConfigKeys;
import dev.mona.core.config.RunConfig;
import dev.mona.core.data.DataSplit;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.model.Params;
import dev.mona.core.offline.FashionMnist;
import dev.mona.core.offline.OfflineData;
import dev.mona.core.pretrained.MiniLm;
import dev.mona.core.pretrained.Pretrain;
import dev.mona.core.pretrained.SpamAssassin;
import dev.mona.core.task.TaskSpec;
import dev.mona.workflows.InvalidRequestException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source stage: the pretrained source encoder and its labelled source sets. Catalogue tasks use core's offline
 * encoders: {@code fashion-mnist-vit} (a ViT pretrained here on Fashion-MNIST, for image-like inputs) and
 * {@code minilm} (all-MiniLM-L6-v2, a real text-pretrained BERT, for 1-D inputs; source text: SpamAssassin).
 */
public final class SourceStage {
    private SourceStage() {}

    public static final String IMPLEMENTATION = "core:pretrained-sources";
    public static final String VIT = ConfigKeys.VIT;
    public static final String MINILM = ConfigKeys.MINILM;

    /** The default source encoder of a catalogue task: by its encoder family (swin: images, roberta: 1-D). */
    public static String encoderFor(TaskSpec t) {
        return "roberta".equals(t.encoder()) ? MINILM : VIT;
    }

    /** The encoder name to use for {@code task}, a typed error for one that cannot serve it. */
    public static String resolve(String requested, String task) {
        String dflt = encoderFor(TaskStage.spec(task));
        String name = requested == null || requested.isBlank() ? dflt : requested;
        List<String> allowed = List.of(VIT, MINILM);
        if (!allowed.contains(name)) {
            throw new InvalidRequestException("unknown source encoder '" + name + "' for task " + task
                    + "; available: " + String.join(", ", allowed));
        }
        return name;
    }

    /** Source weights (safetensors, encoder-local names) plus the labelled source and probe sets. */
    public record Prepared(Path weights, DataSplit sourceSet, DataSplit probeSet, int classes) {
    }

    /** Prepares a core source encoder: writes its weights to {@code weightsFile}. */
    public static Prepared prepareCore(String encoder, RunConfig c, NDManager manager, Path weightsFile) {
        OfflineData data = OfflineData.fromEnvironment();
        int n = c.integer("source.samples");
        if (VIT.equals(encoder)) {
            Pretrain.Config cfg = c.vitSource();
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
}
