package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.mona.core.data.DataSplit;
import dev.mona.core.data.HostTensor;
import dev.mona.core.engine.GraphScalars;
import dev.mona.core.model.Embedder;
import dev.mona.core.model.Encoder;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;
import dev.mona.core.model.Predictor;
import dev.mona.core.model.TransferModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny modules against the Module/Params contracts (one attention block, LayerNorms, GELU), for method tests and the
 * meta-step bench's test.
 */
public final class TinyModels {
    private TinyModels() {}

    static Params random(NDManager m, DataType dtype, SplittableRandom rng, Map<String, Shape> shapes, double scale) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        shapes.forEach((k, s) -> {
            double[] d = new double[(int) s.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = k.endsWith("norm.weight") || k.endsWith("ln1.weight") || k.endsWith("ln2.weight")
                        || k.endsWith("lnf.weight") ? 1 + 0.1 * rng.nextGaussian() : scale * rng.nextGaussian();
            }
            out.put(k, m.create(d, s).toType(dtype, false));
        });
        return Params.of(out);
    }

    static NDArray linear(Params p, String name, NDArray x) {
        return Linear.linear(x, p.get(name + ".weight"), p.get(name + ".bias")).singletonOrThrow();
    }

    static NDArray ln(Params p, String name, NDArray x) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().getLastDimension()), p.get(name + ".weight"),
                p.get(name + ".bias"), 1e-5f).singletonOrThrow();
    }

    /** Linear patch projection of (B, N, in) tokens, then LayerNorm. */
    record TinyEmbedder(int in, int width) implements Embedder {
        public Map<String, Shape> parameterShapes() {
            Map<String, Shape> s = new LinkedHashMap<>();
            s.put("proj.weight", new Shape(width, in));
            s.put("proj.bias", new Shape(width));
            s.put("norm.weight", new Shape(width));
            s.put("norm.bias", new Shape(width));
            return s;
        }

        public Params initialise(NDManager m, DataType dtype, SplittableRandom rng) {
            return random(m, dtype, rng, parameterShapes(), 0.5);
        }

        public NDArray forward(Params p, NDArray x) {
            return ln(p, "norm", linear(p, "proj", x));
        }
    }

    /** The encoder's own source embedding: a linear map of (B, N, sourceIn) tokens. */
    record TinySourceEmbedder(int in, int width) implements Module {
        public Map<String, Shape> parameterShapes() {
            Map<String, Shape> s = new LinkedHashMap<>();
            s.put("src.weight", new Shape(width, in));
            s.put("src.bias", new Shape(width));
            return s;
        }

        public Params initialise(NDManager m, DataType dtype, SplittableRandom rng) {
            return random(m, dtype, rng, parameterShapes(), 0.5);
        }

        public NDArray forward(Params p, NDArray x) {
            return linear(p, "src", x);
        }
    }

    /** One pre-norm transformer block (single-head attention + GELU MLP) and a final LayerNorm. */
    record TinyEncoder(int sourceIn, int width) implements Encoder {
        public int width() {
            return width;
        }

        public int outputWidth() {
            return width;
        }

        public Module sourceEmbedder() {
            return new TinySourceEmbedder(sourceIn, width);
        }

        public Map<String, Shape> parameterShapes() {
            Map<String, Shape> s = new LinkedHashMap<>(new TinySourceEmbedder(sourceIn, width).parameterShapes());
            for (String n : new String[] {"ln1", "ln2", "lnf"}) {
                s.put(n + ".weight", new Shape(width));
                s.put(n + ".bias", new Shape(width));
            }
            for (String n : new String[] {"q", "k", "v", "o"}) {
                s.put(n + ".weight", new Shape(width, width));
                s.put(n + ".bias", new Shape(width));
            }
            s.put("fc1.weight", new Shape(2L * width, width));
            s.put("fc1.bias", new Shape(2L * width));
            s.put("fc2.weight", new Shape(width, 2L * width));
            s.put("fc2.bias", new Shape(width));
            return s;
        }

        public Params initialise(NDManager m, DataType dtype, SplittableRandom rng) {
            return random(m, dtype, rng, parameterShapes(), 0.4);
        }

        public NDArray forward(Params p, NDArray x) {
            NDArray h = ln(p, "ln1", x);
            NDArray q = linear(p, "q", h);
            NDArray k = linear(p, "k", h);
            NDArray v = linear(p, "v", h);
            NDArray att = GraphScalars.div(q.batchMatMul(k.transpose(0, 2, 1)), Math.sqrt(width)).softmax(-1);
            x = x.add(linear(p, "o", att.batchMatMul(v)));
            x = x.add(linear(p, "fc2", Activation.gelu(linear(p, "fc1", ln(p, "ln2", x)))));
            return ln(p, "lnf", x);
        }
    }

    /** Mean over tokens, then a linear classifier. */
    record TinyPredictor(int width, int classes) implements Predictor {
        public Map<String, Shape> parameterShapes() {
            Map<String, Shape> s = new LinkedHashMap<>();
            s.put("head.weight", new Shape(classes, width));
            s.put("head.bias", new Shape(classes));
            return s;
        }

        public Params initialise(NDManager m, DataType dtype, SplittableRandom rng) {
            return random(m, dtype, rng, parameterShapes(), 0.5);
        }

        public NDArray forward(Params p, NDArray x) {
            return linear(p, "head", x.mean(new int[] {1}));
        }
    }

    public static TransferModel model(int targetIn, int sourceIn, int width, int classes) {
        return new TransferModel(new TinyEmbedder(targetIn, width), new TinyEncoder(sourceIn, width),
                new TinyPredictor(width, classes));
    }

    /** Gaussian inputs (n, tokens, in) with class ids in [0, classes), class k balanced by i mod classes. */
    static DataSplit split(int n, int tokens, int in, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * tokens * in];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < tokens * in; j++) {
                x[i * tokens * in + j] = (float) (rng.nextGaussian() + 0.5 * (i % classes) * ((j % in) - 1));
            }
        }
        return new DataSplit(new HostTensor(x, new long[] {n, tokens, in}), new HostTensor(y, new long[] {n}));
    }
}
