package dev.mona.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.SplittableRandom;

/** A {@link Module} whose parameters are declared by a {@link ParamLayout}: names, shapes and initialisers. */
public interface LayoutModule extends Module {
    /** The declared parameters, in their fixed order. */
    ParamLayout layout();

    @Override
    default Map<String, Shape> parameterShapes() {
        return layout().shapes();
    }

    @Override
    default Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
        return layout().initialise(manager, dtype, rng);
    }
}
