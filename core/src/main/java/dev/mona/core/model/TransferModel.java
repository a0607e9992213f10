package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The target model {@code h_psi(f_theta(e_phi(x)))}. Parameter names are prefixed {@code embedder.},
 * {@code encoder.} and {@code predictor.}; each part sees its own names without the prefix.
 */
public record TransferModel(Embedder embedder, Encoder encoder, Predictor predictor) implements Module {
    public static final String EMBEDDER = "embedder.";
    public static final String ENCODER = "encoder.";
    public static final String PREDICTOR = "predictor.";

    @Override
    public Map<String, Shape> parameterShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        embedder.parameterShapes().forEach((k, v) -> out.put(EMBEDDER + k, v));
        encoder.parameterShapes().forEach((k, v) -> out.put(ENCODER + k, v));
        predictor.parameterShapes().forEach((k, v) -> out.put(PREDICTOR + k, v));
        return out;
    }

    @Override
    public Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
        return embedder.initialise(manager, dtype, rng.split()).prefixed(EMBEDDER)
                .merge(encoder.initialise(manager, dtype, rng.split()).prefixed(ENCODER))
                .merge(predictor.initialise(manager, dtype, rng.split()).prefixed(PREDICTOR));
    }

    @Override
    public NDArray forward(Params params, NDArray x) {
        NDArray tokens = embedder.forward(params.scope(EMBEDDER), x);
        NDArray features = encoder.forward(params.scope(ENCODER), tokens);
        return predictor.forward(params.scope(PREDICTOR), features);
    }

    /**
     * Pooled encoder features {@code (B, outputWidth)} of source inputs taken through the encoder's own source
     * embedding layer ({@link Encoder#pooledSourceFeatures}: a text encoder leaves padding out).
     */
    public NDArray sourceFeatures(Params params, NDArray sourceInput) {
        return encoder.pooledSourceFeatures(params.scope(ENCODER), sourceInput);
    }
}
