package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state every optimiser here keeps: named arrays (momentum buffers, moments) that checkpoint as a
 * parameter map, and the number of steps taken.
 */
abstract class NamedStateOptimizer implements Optimizer {
    protected final NDManager stateManager;
    protected final Map<String, NDArray> state = new LinkedHashMap<>();
    protected long steps;

    protected NamedStateOptimizer(NDManager stateManager) {
        this.stateManager = stateManager;
    }

    /** A zero array shaped like {@code like}, owned by the state manager even when made inside an NDScope. */
    protected NDArray zerosLike(NDArray like) {
        NDArray z = stateManager.zeros(like.getShape(), like.getDataType());
        NDScope.unregister(z);
        return z;
    }

    @Override
    public Map<String, NDArray> state() {
        return Collections.unmodifiableMap(state);
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restore(Map<String, NDArray> newState, long newSteps) {
        state.values().forEach(NDArray::close);
        state.clear();
        newState.forEach((k, v) -> {
            NDArray copy = stateManager.zeros(v.getShape(), v.getDataType());
            Autograd.copyInto(copy, v);
            state.put(k, copy);
        });
        steps = newSteps;
    }
}
