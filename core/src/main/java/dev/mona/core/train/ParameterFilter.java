package dev.mona.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Selects parameters by name, for freezing: a list of patterns, each a glob ({@code *} any characters,
 * {@code ?} one character; the default, or prefixed {@code glob:}) or a Java regular expression (prefixed
 * {@code regex:}), matched against the whole name. Example: {@code encoder.*} freezes the encoder,
 * {@code regex:encoder\.layers\.[0-5]\..*} its first six layers.
 */
public final class ParameterFilter implements Predicate<String> {
    private final List<String> patterns;
    private final List<Pattern> compiled = new ArrayList<>();

    private ParameterFilter(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        for (String p : patterns) {
            compiled.add(compile(p));
        }
    }

    /** A filter matching any of {@code patterns}; none matches nothing. */
    public static ParameterFilter of(List<String> patterns) {
        return new ParameterFilter(patterns);
    }

    public static ParameterFilter of(String... patterns) {
        return new ParameterFilter(List.of(patterns));
    }

    /** Matches nothing. */
    public static ParameterFilter none() {
        return new ParameterFilter(List.of());
    }

    private static Pattern compile(String p) {
        if (p.startsWith("regex:")) {
            try {
                return Pattern.compile(p.substring(6));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("freeze pattern '" + p + "' is not a valid regular expression: "
                        + e.getDescription(), e);
            }
        }
        String glob = p.startsWith("glob:") ? p.substring(5) : p;
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public boolean test(String name) {
        for (Pattern p : compiled) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    public List<String> patterns() {
        return patterns;
    }
}
