package dev.mona.core.io.rda;

import java.util.ArrayList;
import java.util.List;

/**
 * A view of an R {@code data.frame}: a list of equal-length columns with {@code names}; factor columns are
 * integer codes (1-based, as in R) with {@code levels}.
 *
 * @param name    the variable name it was saved under
 * @param columns the columns, in order
 * @param names   column names
 * @param rows    number of rows
 */
public record RDataFrame(String name, List<RObject> columns, List<String> names, int rows) {

    /** The data frame {@code value} saved as {@code name}; a typed error when it is not a data frame. */
    public static RDataFrame of(String name, RObject value) {
        if (!(value instanceof RObject.RList list) || !"data.frame".equals(value.rClass())) {
            throw new RdaFormatException("'" + name + "' is not a data.frame (class " + value.rClass() + ")");
        }
        if (!(value.attribute("names") instanceof RObject.RStrings n) || n.values().length != list.values().size()) {
            throw new RdaFormatException("data.frame '" + name + "' has no names for its "
                    + list.values().size() + " columns");
        }
        int rows = list.values().isEmpty() ? rowNames(value) : length(list.values().get(0));
        for (int i = 0; i < list.values().size(); i++) {
            if (length(list.values().get(i)) != rows) {
                throw new RdaFormatException("data.frame '" + name + "' column '" + n.values()[i] + "' has "
                        + length(list.values().get(i)) + " rows, expected " + rows);
            }
        }
        return new RDataFrame(name, list.values(), List.of(n.values()), rows);
    }

    /** Column {@code col}; a typed error naming the known columns when absent. */
    public RObject column(String col) {
        int i = names.indexOf(col);
        if (i < 0) {
            throw new RdaFormatException("data.frame '" + name + "' has no column '" + col + "'; it has "
                    + (names.size() > 8 ? names.subList(0, 8) + "..." : names));
        }
        return columns.get(i);
    }

    /** Whether column {@code i} is a factor. */
    public boolean isFactor(int i) {
        return columns.get(i) instanceof RObject.RInts && "factor".equals(columns.get(i).rClass());
    }

    /** The levels of factor column {@code i}. */
    public List<String> levels(int i) {
        if (!isFactor(i) || !(columns.get(i).attribute("levels") instanceof RObject.RStrings l)) {
            throw new RdaFormatException("column '" + names.get(i) + "' of '" + name + "' is not a factor");
        }
        return List.of(l.values());
    }

    /** Column {@code i} as doubles: numeric values, or 0-based factor codes; NA becomes NaN. */
    public double[] numeric(int i) {
        RObject c = columns.get(i);
        double[] out = new double[rows];
        if (c instanceof RObject.RDoubles d) {
            return d.values().clone();
        }
        int[] v;
        if (c instanceof RObject.RInts x) {
            v = x.values();
        } else if (c instanceof RObject.RLogicals x) {
            v = x.values();
        } else {
            throw new RdaFormatException("column '" + names.get(i) + "' of '" + name + "' is "
                    + c.getClass().getSimpleName() + ", not numeric or a factor");
        }
        int shift = isFactor(i) ? 1 : 0;
        for (int r = 0; r < rows; r++) {
            out[r] = v[r] == RObject.RInts.NA ? Double.NaN : v[r] - shift;
        }
        return out;
    }

    /** Column names of all factor columns. */
    public List<String> factorColumns() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (isFactor(i)) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    private static int length(RObject o) {
        if (o instanceof RObject.RInts x) {
            return x.values().length;
        } else if (o instanceof RObject.RLogicals x) {
            return x.values().length;
        } else if (o instanceof RObject.RDoubles x) {
            return x.values().length;
        } else if (o instanceof RObject.RStrings x) {
            return x.values().length;
        } else if (o instanceof RObject.RList x) {
            return x.values().size();
        }
        return 0;
    }

    private static int rowNames(RObject df) {
        // compact row names c(NA, -n) as written by R for automatic row names
        if (df.attribute("row.names") instanceof RObject.RInts r) {
            int[] v = r.values();
            return v.length == 2 && v[0] == RObject.RInts.NA ? Math.abs(v[1]) : v.length;
        }
        return 0;
    }
}
