package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A part of a model as a pure function over named parameters. Implementations hold configuration only;
 * all state lives in {@link Params}, so the same module evaluates original and perturbed parameters alike.
 */
public interface Module {
    /** Local parameter names and shapes, in a fixed order. */
    Map<String, Shape> parameterShapes();

    /** Freshly initialised parameters, deterministic for a given {@code rng} state. */
    Params initialise(NDManager manager, DataType dtype, SplittableRandom rng);

    /** The module's output for input {@code x}; arrays it creates belong to {@code x}'s manager. */
    NDArray forward(Params params, NDArray x);
}
