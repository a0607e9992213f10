package dev.mona.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One configuration key: its type and range, its default for a run, where it applies and what it means. Every
 * value is parsed strictly and written back in one canonical form, so {@code epochs= 3}, {@code epochs=03} and
 * {@code epochs=3} are the same configuration (and the same run id).
 *
 * @param name       the key users write ({@code epochs}, {@code mona.alpha}, ...)
 * @param type       its type and range
 * @param meaning    one line for {@code mona tasks --keys} and the README
 * @param applies    where it applies: {@link Applies#ALL}, only some methods, or only one source encoder
 * @param defaults   its default for a run (the task's published settings, the method's defaults); may read keys
 *                   listed before it in {@link ConfigKeys#ALL}
 * @param defaultDoc the default as documentation ({@code "task's"}, {@code "= lr"}, {@code "200"})
 */
public record ConfigKey(String name, Type type, String meaning, Applies applies,
                        Function<Resolver, String> defaults, String defaultDoc) {

    /** What a default may read: the context and the keys already resolved. */
    public interface Resolver {
        RunContext context();

        String value(String key);
    }

    /**
     * Where a key applies; {@code methods} empty: every method; {@code encoder} null: every source encoder;
     * {@code inputDims} 0: every task, 1: tasks of 1-D inputs {@code (C, L)} only.
     */
    public record Applies(List<String> methods, String encoder, int inputDims) {
        public static final Applies ALL = new Applies(List.of(), null);

        /** Every task. */
        public Applies(List<String> methods, String encoder) {
            this(methods, encoder, 0);
        }

        public static Applies methods(String... methods) {
            return new Applies(List.of(methods), null);
        }

        public static Applies encoder(String encoder) {
            return new Applies(List.of(), encoder);
        }

        /** Tasks of 1-D inputs only. */
        public static Applies inputs1d() {
            return new Applies(List.of(), null, 1);
        }

        /** Why the key does not apply to {@code ctx}, or null when it does (or the deciding part is unknown). */
        String whyNot(RunContext ctx) {
            if (!methods.isEmpty() && ctx.method() != null && !methods.contains(ctx.method())) {
                return "it applies to method " + String.join(", ", methods) + " only, not " + ctx.method();
            }
            if (encoder != null && ctx.encoder() != null && !encoder.equals(ctx.encoder())) {
                return "it applies to the " + encoder + " source only, not " + ctx.encoder();
            }
            int dims = ctx.task().inputShape().length - 1;
            if (inputDims > 0 && dims != inputDims) {
                return "it applies to tasks of " + inputDims + "-D inputs only, not " + ctx.task().name()
                        + " with input shape " + java.util.Arrays.toString(ctx.task().inputShape());
            }
            return null;
        }

        /** True when the deciding part of {@code ctx} is known and the key applies. */
        boolean known(RunContext ctx) {
            return (methods.isEmpty() || ctx.method() != null) && (encoder == null || ctx.encoder() != null);
        }

        @Override
        public String toString() {
            if (inputDims > 0) {
                return inputDims + "-d tasks";
            }
            if (methods.isEmpty() && encoder == null) {
                return "all";
            }
            return methods.isEmpty() ? "source " + encoder : String.join(",", methods);
        }
    }

    /** A value type: parses a user's string strictly and returns its canonical form. */
    public sealed interface Type permits Int, Real, Choice, Flag, Budget, IntList {
        String canonical(String key, String raw);

        /** Type and range as shown to users ({@code int 1..10000}). */
        String describe();
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    // decimal only: no hex floats (0x1p3), no NaN or Infinity, no type suffixes (1d)
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** A whole number in {@code [min, max]}. */
    public record Int(long min, long max) implements Type {
        public String canonical(String key, String raw) {
            String s = raw.trim();
            if (!INTEGER.matcher(s).matches()) {
                throw new ConfigException("configuration " + key + "='" + raw + "' is not a whole number; use "
                        + describe());
            }
            BigInteger v = new BigInteger(s);
            if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
                throw new ConfigException("configuration " + key + "=" + raw.trim() + " is out of range " + min
                        + ".." + max);
            }
            return v.toString();
        }

        public String describe() {
            return "int " + min + ".." + max;
        }
    }

    /** A decimal number in {@code [min, max]}, or {@code (min, max]} when {@code openMin}. */
    public record Real(double min, double max, boolean openMin) implements Type {
        public String canonical(String key, String raw) {
            String s = raw.trim();
            if (!DECIMAL.matcher(s).matches()) {
                throw new ConfigException("configuration " + key + "='" + raw + "' is not a decimal number; use "
                        + describe());
            }
            BigDecimal v = new BigDecimal(s);
            double d = v.doubleValue();
            if (v.compareTo(BigDecimal.valueOf(max)) > 0 || v.compareTo(BigDecimal.valueOf(min)) < 0
                    || (openMin && d <= min)) {
                throw new ConfigException("configuration " + key + "=" + s + " is out of range " + range());
            }
            return plain(d);
        }

        private String range() {
            return (openMin ? "(" : "[") + plain(min) + ", " + plain(max) + "]";
        }

        /** The canonical spelling of a decimal: shortest round-trip digits, no exponent, no trailing zeros. */
        public static String plain(double d) {
            String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            return s.equals("-0") ? "0" : s;
        }

        public String describe() {
            return "decimal " + range();
        }
    }

    /** One of a fixed set of lower-case words. */
    public record Choice(List<String> values) implements Type {
        public static Choice of(Class<? extends Enum<?>> type) {
            return new Choice(java.util.Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
        }

        public String canonical(String key, String raw) {
            String s = raw.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            if (!values.contains(s)) {
                throw new ConfigException("configuration " + key + "='" + raw + "' is not one of "
                        + String.join(", ", values));
            }
            return s;
        }

        public String describe() {
            return String.join("|", values);
        }
    }

    /**
     * A stage-1 budget rule: {@code per-method} (each method's own length keys) or {@code updates:N}, N a whole
     * number in {@code [1, max]} (every stage-1 method makes N embedder updates).
     */
    public record Budget(long max) implements Type {
        public static final String PER_METHOD = "per-method";
        public static final String UPDATES = "updates:";

        public String canonical(String key, String raw) {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            if (s.equals(PER_METHOD)) {
                return s;
            }
            if (s.startsWith(UPDATES)) {
                return UPDATES + new Int(1, max).canonical(key, s.substring(UPDATES.length()));
            }
            throw new ConfigException("configuration " + key + "='" + raw + "' is not " + describe());
        }

        public String describe() {
            return PER_METHOD + "|" + UPDATES + "N (N 1.." + max + ")";
        }
    }

    /** Strictly ascending whole numbers in {@code [min, max]}, comma-separated ({@code 20,40,60}). */
    public record IntList(long min, long max) implements Type {
        public String canonical(String key, String raw) {
            String[] parts = raw.trim().split("\\s*,\\s*", -1);
            StringBuilder out = new StringBuilder();
            BigInteger previous = null;
            Int element = new Int(min, max);
            for (String p : parts) {
                if (!INTEGER.matcher(p).matches()) {
                    throw new ConfigException("configuration " + key + "='" + raw + "' is not a list of whole "
                            + "numbers; use " + describe());
                }
                BigInteger v = new BigInteger(element.canonical(key, p));
                if (previous != null && v.compareTo(previous) <= 0) {
                    throw new ConfigException("configuration " + key + "=" + raw.trim() + " must ascend strictly");
                }
                previous = v;
                out.append(out.length() == 0 ? "" : ",").append(v);
            }
            return out.toString();
        }

        /** The canonical value as numbers. */
        public static List<Integer> parse(String canonical) {
            return java.util.Arrays.stream(canonical.split(",")).map(Integer::valueOf).toList();
        }

        public String describe() {
            return "ascending ints " + min + ".." + max + ", comma-separated";
        }
    }

    /** {@code true} or {@code false}. */
    public record Flag() implements Type {
        public String canonical(String key, String raw) {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new ConfigException("configuration " + key + "='" + raw + "' is not true or false");
            }
            return s;
        }

        public String describe() {
            return "true|false";
        }
    }
}
