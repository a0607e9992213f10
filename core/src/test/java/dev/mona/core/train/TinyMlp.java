package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** A test module: {@code fc2(tanh(fc1(x)))}, or a single linear layer when {@code hidden == 0}. */
record TinyMlp(int in, int hidden, int out) implements Module {
    @Override
    public Map<String, Shape> parameterShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        if (hidden == 0) {
            m.put("fc.weight", new Shape(out, in));
            m.put("fc.bias", new Shape(out));
        } else {
            m.put("fc1.weight", new Shape(hidden, in));
            m.put("fc1.bias", new Shape(hidden));
            m.put("fc2.weight", new Shape(out, hidden));
            m.put("fc2.bias", new Shape(out));
        }
        return m;
    }

    @Override
    public Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        parameterShapes().forEach((name, shape) -> {
            float[] v = new float[(int) shape.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rng.nextDouble() - 0.5);
            }
            p.put(name, manager.create(v, shape).toType(dtype, false));
        });
        return Params.of(p);
    }

    @Override
    public NDArray forward(Params params, NDArray x) {
        if (hidden == 0) {
            return Linear.linear(x, params.get("fc.weight"), params.get("fc.bias")).singletonOrThrow();
        }
        NDArray h = Linear.linear(x, params.get("fc1.weight"), params.get("fc1.bias")).singletonOrThrow().tanh();
        return Linear.linear(h, params.get("fc2.weight"), params.get("fc2.bias")).singletonOrThrow();
    }
}
