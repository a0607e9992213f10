package dev.mona.core.model;

import ai.djl.ndarray.NDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The named parameters of a model or of one of its parts, in Hugging Face / timm naming, in insertion order.
 * A model is a {@code Params} plus pure functions over it ({@link Module#forward}); that is what makes the
 * MoNA bi-level step, freezing by name and checkpoint loading simple.
 */
public final class Params {
    private final Map<String, NDArray> map;

    private Params(Map<String, NDArray> map) {
        this.map = map;
    }

    /** A copy of the given map (the arrays are shared, not copied). */
    public static Params of(Map<String, NDArray> map) {
        return new Params(new LinkedHashMap<>(map));
    }

    public static Params empty() {
        return new Params(new LinkedHashMap<>());
    }

    /** The array named {@code name}; a typed error naming the parameter and the known prefixes otherwise. */
    public NDArray get(String name) {
        NDArray a = map.get(name);
        if (a == null) {
            throw new MissingParameterException(name, map.keySet());
        }
        return a;
    }

    public boolean has(String name) {
        return map.containsKey(name);
    }

    /** Entries whose name starts with {@code prefix}, with the prefix removed (a view for a sub-module). */
    public Params scope(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return new Params(out);
    }

    /** Every entry renamed to {@code prefix + name}. */
    public Params prefixed(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(prefix + k, v));
        return new Params(out);
    }

    /** This plus {@code other}; a name present in both is an error (it would silently shadow a parameter). */
    public Params merge(Params other) {
        Map<String, NDArray> out = new LinkedHashMap<>(map);
        other.map.forEach((k, v) -> {
            if (out.putIfAbsent(k, v) != null) {
                throw new IllegalArgumentException("parameter '" + k + "' defined twice when merging");
            }
        });
        return new Params(out);
    }

    /** A new map with {@code name} set to {@code value} (added or replaced). */
    public Params with(String name, NDArray value) {
        Map<String, NDArray> out = new LinkedHashMap<>(map);
        out.put(name, value);
        return new Params(out);
    }

    /** Applies {@code f(name, array)} to every entry, keeping names and order. */
    public Params map(BiFunction<String, NDArray, NDArray> f) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, f.apply(k, v)));
        return new Params(out);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(map.keySet());
    }

    public Map<String, NDArray> asMap() {
        return Collections.unmodifiableMap(map);
    }

    public int size() {
        return map.size();
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (NDArray a : map.values()) {
            n += a.getShape().size();
        }
        return n;
    }

    @Override
    public String toString() {
        return "Params" + map.keySet();
    }
}
