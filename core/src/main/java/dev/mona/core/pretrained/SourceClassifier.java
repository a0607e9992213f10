package dev.mona.core.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.model.Blocks;
import dev.mona.core.model.Encoder;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The source-modality classifier used to pretrain an encoder: the encoder's own source embedder, the encoder,
 * mean over tokens, {@code Linear(outputWidth, classes)}. Parameter names: {@code encoder.*} (the encoder's, its
 * source embedding included) and {@code head.weight}, {@code head.bias}.
 *
 * @param encoder the encoder being pretrained
 * @param classes source classes
 */
public record SourceClassifier(Encoder encoder, int classes) implements Module {
    public static final String ENCODER = "encoder.";
    public static final String HEAD = "head";

    @Override
    public Map<String, Shape> parameterShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        encoder.parameterShapes().forEach((k, v) -> out.put(ENCODER + k, v));
        out.put(HEAD + ".weight", new Shape(classes, encoder.outputWidth()));
        out.put(HEAD + ".bias", new Shape(classes));
        return out;
    }

    @Override
    public Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
        Params enc = encoder.initialise(manager, dtype, rng.split()).prefixed(ENCODER);
        // head: uniform(-1/sqrt(in), 1/sqrt(in)) as torch.nn.Linear, zero bias
        int in = encoder.outputWidth();
        float[] w = new float[classes * in];
        double bound = 1 / Math.sqrt(in);
        SplittableRandom r = rng.split();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
        Map<String, NDArray> head = new LinkedHashMap<>();
        head.put(HEAD + ".weight", manager.create(w, new Shape(classes, in)).toType(dtype, false));
        head.put(HEAD + ".bias", manager.zeros(new Shape(classes), dtype));
        return enc.merge(Params.of(head));
    }

    @Override
    public NDArray forward(Params params, NDArray x) {
        return Blocks.linear(params, HEAD, features(params, x));
    }

    /** Pooled encoder features {@code (B, outputWidth)} of source inputs (what the linear probe reads). */
    public NDArray features(Params params, NDArray x) {
        Params enc = params.scope(ENCODER);
        NDArray tokens = encoder.forward(enc, encoder.sourceEmbedder().forward(enc, x));
        return tokens.mean(new int[]{1});
    }
}
