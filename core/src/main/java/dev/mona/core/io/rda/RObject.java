package dev.mona.core.io.rda;

import java.util.List;
import java.util.Map;

/**
 * The part of R's object model that data files of data frames use. Attributes ({@code names}, {@code levels},
 * {@code class}, {@code row.names}, ...) are kept in file order.
 */
public sealed interface RObject {
    /** The object's attributes (empty when none). */
    Map<String, RObject> attributes();

    /** Attribute {@code name}, or null. */
    default RObject attribute(String name) {
        return attributes().get(name);
    }

    /** The {@code class} attribute's first entry, or null. */
    default String rClass() {
        return attribute("class") instanceof RStrings s && s.values().length > 0 ? s.values()[0] : null;
    }

    /** R's {@code NULL}. */
    record RNull() implements RObject {
        @Override
        public Map<String, RObject> attributes() {
            return Map.of();
        }
    }

    /** A symbol (a name). */
    record RSymbol(String name) implements RObject {
        @Override
        public Map<String, RObject> attributes() {
            return Map.of();
        }
    }

    /** An integer vector ({@code NA} is {@link Integer#MIN_VALUE}); factors are integer vectors with levels. */
    record RInts(int[] values, Map<String, RObject> attributes) implements RObject {
        public static final int NA = Integer.MIN_VALUE;
    }

    /** A logical vector stored as ints: 0 false, 1 true, {@link RInts#NA} missing. */
    record RLogicals(int[] values, Map<String, RObject> attributes) implements RObject {
    }

    /** A double vector ({@code NA} is a NaN with R's payload; test with {@link Double#isNaN}). */
    record RDoubles(double[] values, Map<String, RObject> attributes) implements RObject {
    }

    /** A character vector ({@code NA} is null). */
    record RStrings(String[] values, Map<String, RObject> attributes) implements RObject {
    }

    /** A generic vector (an R list; data frames are lists of columns). */
    record RList(List<RObject> values, Map<String, RObject> attributes) implements RObject {
    }

    /** A pair list of tagged values (the top level of an {@code .rda} file: variable name to value). */
    record RPairList(List<Map.Entry<String, RObject>> entries, Map<String, RObject> attributes) implements RObject {
    }
}
