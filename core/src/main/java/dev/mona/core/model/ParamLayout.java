package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ordered list of a module's parameters with their shapes and initialisers; every module declares its
 * parameters here once, and {@link #shapes()} and {@link #initialise} follow from it.
 */
public final class ParamLayout {
    /** How a parameter starts. */
    public enum Init {
        /** Normal(0, std) truncated at +-2 std (timm's {@code trunc_normal_(std=.02)} intent). */
        TRUNC_NORMAL,
        /** All zeros (biases, LayerNorm shift). */
        ZEROS,
        /** All ones (LayerNorm scale). */
        ONES
    }

    /** One parameter: name, shape, initialiser and its standard deviation (for {@link Init#TRUNC_NORMAL}). */
    public record Entry(String name, Shape shape, Init init, double std) {}

    /** Standard deviation of the default truncated-normal initialiser (ViT / Swin / BERT use 0.02). */
    public static final double DEFAULT_STD = 0.02;

    private final List<Entry> entries = new ArrayList<>();

    public ParamLayout add(String name, Shape shape, Init init) {
        entries.add(new Entry(name, shape, init, DEFAULT_STD));
        return this;
    }

    /** A linear layer {@code name.weight (out, in)} and, when {@code bias}, {@code name.bias (out)}. */
    public ParamLayout linear(String name, long in, long out, boolean bias) {
        add(name + ".weight", new Shape(out, in), Init.TRUNC_NORMAL);
        if (bias) {
            add(name + ".bias", new Shape(out), Init.ZEROS);
        }
        return this;
    }

    /** A LayerNorm {@code name.weight} (ones) and {@code name.bias} (zeros) over {@code dim} features. */
    public ParamLayout layerNorm(String name, long dim) {
        add(name + ".weight", new Shape(dim), Init.ONES);
        return add(name + ".bias", new Shape(dim), Init.ZEROS);
    }

    /** Every entry of {@code other} with {@code prefix} prepended to its name. */
    public ParamLayout addAll(String prefix, ParamLayout other) {
        for (Entry e : other.entries) {
            entries.add(new Entry(prefix + e.name(), e.shape(), e.init(), e.std()));
        }
        return this;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Only the entries whose name starts with one of {@code prefixes}. */
    public ParamLayout filter(String... prefixes) {
        ParamLayout out = new ParamLayout();
        for (Entry e : entries) {
            for (String p : prefixes) {
                if (e.name().startsWith(p)) {
                    out.entries.add(e);
                    break;
                }
            }
        }
        return out;
    }

    public Map<String, Shape> shapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.name(), e.shape()));
        return out;
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (Entry e : entries) {
            n += e.shape().size();
        }
        return n;
    }

    /** Fresh parameters in declaration order; the values depend only on {@code rng}'s state. */
    public Params initialise(NDManager manager, DataType dtype, SplittableRandom rng) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            int n = Math.toIntExact(e.shape().size());
            double[] v = new double[n];
            switch (e.init()) {
                case ONES -> java.util.Arrays.fill(v, 1.0);
                case ZEROS -> { }
                case TRUNC_NORMAL -> {
                    for (int i = 0; i < n; i++) {
                        double g;
                        do {
                            g = rng.nextGaussian();
                        } while (Math.abs(g) > 2.0);
                        v[i] = g * e.std();
                    }
                }
            }
            out.put(e.name(), fromDoubles(manager, v, e.shape(), dtype));
        }
        return Params.of(out);
    }

    /** An array of {@code dtype} holding {@code v} (float64 kept exact, other types rounded once). */
    public static NDArray fromDoubles(NDManager manager, double[] v, Shape shape, DataType dtype) {
        if (dtype == DataType.FLOAT64) {
            return manager.create(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        NDArray a = manager.create(f, shape);
        return dtype == DataType.FLOAT32 ? a : a.toType(dtype, false);
    }
}
