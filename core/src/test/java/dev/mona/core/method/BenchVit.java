package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import dev.mona.core.model.Embedder;
import dev.mona.core.model.Encoder;
import dev.mona.core.model.Module;
import dev.mona.core.model.Params;
import dev.mona.core.model.Predictor;
import dev.mona.core.model.TransferModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** A ViT-shaped stand-in (multi-head attention, GELU MLP x4, pre-norm) for benches before the real ViT lands. */
final class BenchVit {
    private BenchVit() {}

    record Patch(String prefix, int channels, int patch, int width) implements Embedder {
        public Map<String, Shape> parameterShapes() {
            Map<String, Shape> s = new LinkedHashMap<>();
            s.put(prefix + "proj.weight", new Shape(width, channels, patch, patch));
            s.put(prefix + "proj.bias", new Shape(width));
            s.put(prefix + "norm.weight", new Shape(width));
            s.put(prefix + "norm.bias", new Shape(width));
            return s;
        }

        public Params initialise(NDManager m, DataType dtype, SplittableRandom rng) {
            return TinyModels.random(m, dtype, rng, parameterShapes(), 0.02);
        }

        public NDArray forward(Params p, NDArray x) {
            NDArray y = Conv2d.conv2d(x, p.get(prefix + "proj.weight"), p.get(prefix + "proj.bias"),
                    new Shape(patch, patch)).singletonOrThrow();
            long b = y.getShape().get(0);
            y = y.reshape(b, width, -1).transpose(0, 2, 1);
            return TinyModels.ln(p, prefix + "norm", y);
        }
    }

    record Vit(int depth, int width, int heads, int channels, int patch) implements Encoder {
        public int width() {
            return width;
        }

        public int outputWidth() {
            return width;
        }

        public Module sourceEmbedder() {
            return new Patch("patch_embed.", channels, patch, width);
        }

        public Map<String, Shape> parameterShapes() {
            Map<String, Shape> s = new LinkedHashMap<>(sourceEmbedder().parameterShapes());
            for (int l = 0; l < depth; l++) {
                String b = "blocks." + l + ".";
                s.put(b + "ln1.weight", new Shape(width));
                s.put(b + "ln1.bias", new Shape(width));
                s.put(b + "qkv.weight", new Shape(3L * width, width));
                s.put(b + "qkv.bias", new Shape(3L * width));
                s.put(b + "proj.weight", new Shape(width, width));
                s.put(b + "proj.bias", new Shape(width));
                s.put(b + "ln2.weight", new Shape(width));
                s.put(b + "ln2.bias", new Shape(width));
                s.put(b + "fc1.weight", new Shape(4L * width, width));
                s.put(b + "fc1.bias", new Shape(4L * width));
                s.put(b + "fc2.weight", new Shape(width, 4L * width));
                s.put(b + "fc2.bias", new Shape(width));
            }
            s.put("lnf.weight", new Shape(width));
            s.put("lnf.bias", new Shape(width));
            return s;
        }

        public Params initialise(NDManager m, DataType dtype, SplittableRandom rng) {
            return TinyModels.random(m, dtype, rng, parameterShapes(), 0.02);
        }

        public NDArray forward(Params p, NDArray x) {
            long b = x.getShape().get(0);
            long n = x.getShape().get(1);
            int dh = width / heads;
            for (int l = 0; l < depth; l++) {
                String pre = "blocks." + l + ".";
                NDArray qkv = TinyModels.linear(p, pre + "qkv", TinyModels.ln(p, pre + "ln1", x))
                        .reshape(b, n, 3, heads, dh).transpose(2, 0, 3, 1, 4);
                NDArray q = qkv.get(0);
                NDArray k = qkv.get(1);
                NDArray v = qkv.get(2);
                NDArray att = GraphScalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(dh)).softmax(-1);
                NDArray o = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, width);
                x = x.add(TinyModels.linear(p, pre + "proj", o));
                x = x.add(TinyModels.linear(p, pre + "fc2",
                        Activation.gelu(TinyModels.linear(p, pre + "fc1", TinyModels.ln(p, pre + "ln2", x)))));
            }
            return TinyModels.ln(p, "lnf", x);
        }
    }

    static TransferModel vitTiny() {
        return new TransferModel(new Patch("", 3, 4, 192), new Vit(4, 192, 3, 3, 4),
                new TinyModels.TinyPredictor(192, 10));
    }
}
