package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The parameter-free 1-D dense predictor (METHOD.md section 2): adaptive average pooling of each token's
 * {@code width} features down to {@code outChannels * stack} values, read as {@code (outChannels, stack)}; the
 * {@code length / stack} tokens laid side by side give {@code (B, outChannels, length)}, so token {@code t} covers
 * positions {@code [t * stack, (t + 1) * stack)} like the embedder's conv window.
 *
 * @param width       encoder output width
 * @param outChannels target channels
 * @param length      target length L
 * @param stack       the embedder's stack {@code s} (tokens = L / s)
 */
public record DensePredictor1d(int width, int outChannels, int length, int stack) implements Predictor {
    public DensePredictor1d {
        if (width <= 0 || outChannels <= 0 || length <= 0 || stack <= 0 || length % stack != 0) {
            throw new ModelConfigException("1-D dense predictor needs positive sizes and length " + length
                    + " divisible by stack " + stack);
        }
        if ((long) outChannels * stack > width) {
            throw new ModelConfigException("1-D dense predictor cannot pool width " + width + " down to "
                    + outChannels + " x " + stack + " values; use a smaller stack (target sequence length)");
        }
    }

    @Override
    public Map<String, Shape> parameterShapes() {
        return Map.of();
    }

    @Override
    public Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
        return Params.empty();
    }

    @Override
    public NDArray forward(Params params, NDArray tokens) {
        Shape s = tokens.getShape();
        long n = length / stack;
        if (s.dimension() != 3 || s.get(1) != n || s.get(2) != width) {
            throw new InputShapeException("1-D dense predictor", s, "tokens (B, " + n + ", " + width + ")");
        }
        NDArray pooled = Resampling.applyLast(tokens, Resampling.adaptiveAverageMatrix(width, outChannels * stack),
                outChannels * stack);
        // (B, N, C_out, s) -> (B, C_out, N, s) -> (B, C_out, L)
        return pooled.reshape(s.get(0), n, outChannels, stack).transpose(0, 2, 1, 3).reshape(s.get(0), outChannels,
                length);
    }
}
