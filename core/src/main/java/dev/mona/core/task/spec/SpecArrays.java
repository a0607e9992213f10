package dev.mona.core.task.spec;

import dev.mona.core.UserError.Kind;
import dev.mona.core.io.formats.Hdf5Reader;
import dev.mona.core.io.formats.NdArray;
import dev.mona.core.io.formats.NpyReader;
import dev.mona.core.io.formats.NpzReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the arrays a task spec names, and the inputs of {@code mona predict}: npy, npz members, HDF5 datasets and
 * CSV columns (a header row, then numbers), each through core's readers; a missing member, dataset or column is a
 * {@link TaskSpecException} naming the ones that exist.
 */
public final class SpecArrays {
    private SpecArrays() {}

    /** Input dtypes a spec may declare (numpy names). */
    public static final List<String> INPUT_DTYPES = List.of("float32", "float64", "int8", "uint8",
            "int16", "uint16", "int32", "int64");

    /** The format of a file name: npy, npz, hdf5, csv, or null. */
    public static String format(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        if (f.endsWith(".npy")) {
            return "npy";
        }
        if (f.endsWith(".npz")) {
            return "npz";
        }
        if (isHdf5(f)) {
            return "hdf5";
        }
        return f.endsWith(".csv") ? "csv" : null;
    }

    static boolean isHdf5(String lower) {
        return lower.endsWith(".h5") || lower.endsWith(".hdf5") || lower.endsWith(".hdf");
    }

    /**
     * One array of {@code file}: the npy file, the npz member or HDF5 dataset {@code array}, or the CSV columns
     * {@code columns} (x: empty = every column not in {@code exclude}), as (rows, columns).
     */
    public static NdArray read(Path file, String array, List<String> columns, List<String> exclude, String where)
            throws IOException {
        return read(file, file.getFileName().toString(), array, columns, exclude, where);
    }

    /**
     * As {@link #read(Path, String, List, List, String)} for a file whose format the name {@code name} tells: a
     * fetched file lies in the content cache under its digest, without the extension.
     */
    public static NdArray read(Path file, String name, String array, List<String> columns, List<String> exclude,
                               String where) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TaskSpecException(Kind.MISSING_DATA, where, "data file " + file + " does not exist");
        }
        String format = format(name);
        if (format == null) {
            throw new TaskSpecException(Kind.BAD_CONFIGURATION, where, "unknown format of " + name
                    + "; use .npy, .npz, .h5/.hdf5 or .csv");
        }
        switch (format) {
            case "npy" -> {
                return NpyReader.read(file);
            }
            case "npz" -> {
                try (NpzReader r = NpzReader.open(file)) {
                    if (!r.keys().contains(array)) {
                        throw new TaskSpecException(Kind.BAD_CONFIGURATION, where, name + " has no array '" + array
                                + "'; its arrays are " + r.keys());
                    }
                    return r.get(array);
                }
            }
            case "hdf5" -> {
                try (Hdf5Reader r = Hdf5Reader.open(file)) {
                    String path = array.startsWith("/") ? array.substring(1) : array;
                    if (!r.datasets().contains(path)) {
                        throw new TaskSpecException(Kind.BAD_CONFIGURATION, where, name + " has no dataset '" + array
                                + "'; its datasets are " + r.datasets());
                    }
                    return r.read(path);
                }
            }
            default -> {
                // csv, the last format format() knows
                return csv(file, columns, exclude, where);
            }
        }
    }

    /** Numeric CSV columns as a float64 (rows, columns) array; the first line names the columns. */
    static NdArray csv(Path file, List<String> columns, List<String> exclude, String where) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String name = file.getFileName().toString();
        if (lines.isEmpty()) {
            throw new TaskSpecException(Kind.CORRUPT_DATA, where, name + " is empty; a CSV file starts with a header "
                    + "row naming its columns");
        }
        List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(s -> unquote(s.strip())).toList();
        List<String> wanted = new ArrayList<>();
        if (columns.isEmpty()) {
            header.stream().filter(h -> !exclude.contains(h)).forEach(wanted::add);
        } else {
            wanted.addAll(columns);
        }
        int[] idx = new int[wanted.size()];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = header.indexOf(wanted.get(j));
            if (idx[j] < 0) {
                throw new TaskSpecException(Kind.BAD_CONFIGURATION, where, name + " has no column '" + wanted.get(j)
                        + "'; its columns are " + header);
            }
        }
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        double[] out = new double[rows.size() * idx.length];
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).split(",", -1);
            if (cells.length != header.size()) {
                throw new TaskSpecException(Kind.CORRUPT_DATA, where, name + " line " + (i + 2) + " has "
                        + cells.length + " cells but the header has " + header.size());
            }
            for (int j = 0; j < idx.length; j++) {
                String cell = unquote(cells[idx[j]].strip());
                try {
                    out[i * idx.length + j] = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new TaskSpecException(Kind.CORRUPT_DATA, where, name + " line " + (i + 2) + " column '"
                            + wanted.get(j) + "' is '" + cell + "', not a number");
                }
            }
        }
        return new NdArray(NdArray.DType.FLOAT64, new long[]{rows.size(), idx.length}, out);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** The numpy name of a dtype ({@code float32}). */
    public static String numpyName(NdArray.DType d) {
        return d.name().toLowerCase(Locale.ROOT);
    }
}
