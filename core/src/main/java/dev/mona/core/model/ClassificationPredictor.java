package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Classification (and multi-label / regression-vector) predictor: mean over tokens, then
 * {@code classifier} = Linear(width, classes). Output: logits {@code (B, classes)}.
 *
 * @param width   encoder output width
 * @param classes number of outputs
 */
public record ClassificationPredictor(int width, int classes) implements Predictor, LayoutModule {
    public ClassificationPredictor {
        if (width <= 0 || classes <= 0) {
            throw new ModelConfigException("classification predictor needs positive width " + width
                    + " and classes " + classes);
        }
    }

    @Override
    public ParamLayout layout() {
        return new ParamLayout().linear("classifier", width, classes, true);
    }

    @Override
    public NDArray forward(Params params, NDArray tokens) {
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(2) != width) {
            throw new InputShapeException("classification predictor", s, "tokens (B, N, " + width + ")");
        }
        return Blocks.linear(params, "classifier", tokens.mean(new int[] {1}));
    }
}
