package dev.mona.core.io.rda;

import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads R data files ({@code .rda} / {@code .RData}, as written by {@code save()}) without R: the file is
 * xz-, gzip- or un-compressed; inside, the header {@code "RDX2\n"} or {@code "RDX3\n"} is followed by R's XDR
 * (big-endian binary) serialisation of a pair list mapping variable names to values.
 * <p>
 * The subset of the format handled: NULL, symbols, pair lists, character / logical / integer / double vectors,
 * generic vectors (lists, data frames), attributes and the reference table of symbols. Environments, closures,
 * language objects, ALTREP and bytecode are rejected with a typed {@link RdaFormatException}.
 */
public final class RdaReader {
    // SEXP type codes of R's serialisation format (R Internals, "Serialization Formats")
    private static final int NILSXP = 0, SYMSXP = 1, LISTSXP = 2, CHARSXP = 9, LGLSXP = 10, INTSXP = 13,
            REALSXP = 14, STRSXP = 16, VECSXP = 19;
    private static final int REFSXP = 255, NILVALUE_SXP = 254, GLOBALENV_SXP = 253, EMPTYENV_SXP = 242,
            BASEENV_SXP = 241;
    private static final int HAS_ATTR = 1 << 9, HAS_TAG = 1 << 10;

    private final DataInputStream in;
    private final String source;
    private final List<RObject> refs = new ArrayList<>();

    private RdaReader(InputStream in, String source) {
        this.in = new DataInputStream(in);
        this.source = source;
    }

    /** The variables saved in {@code file}, by name, in file order. */
    public static Map<String, RObject> read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(raw, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read R data file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The variables saved in the R data stream {@code raw} (compressed or not); {@code source} names it. */
    public static Map<String, RObject> read(InputStream raw, String source) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z') {
            in = new BufferedInputStream(new XZInputStream(in), 1 << 16);
        } else if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in), 1 << 16);
        } else if (magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            throw new RdaFormatException(source + " is bzip2-compressed; re-save it in R with compress = \"xz\"");
        }
        byte[] header = in.readNBytes(7);
        String h = new String(header, StandardCharsets.US_ASCII);
        if (!h.equals("RDX2\nX\n") && !h.equals("RDX3\nX\n")) {
            throw new RdaFormatException(source + " does not start with an R XDR data header (\"RDX2\\nX\\n\" or"
                    + " \"RDX3\\nX\\n\") but with " + escape(h) + "; only binary XDR .rda files are supported");
        }
        RdaReader r = new RdaReader(in, source);
        try {
            int version = r.in.readInt();
            r.in.readInt(); // R version that wrote the file
            r.in.readInt(); // oldest R version that can read it
            if (version == 3) {
                int n = r.in.readInt();
                r.in.readNBytes(n); // native encoding name
            } else if (version != 2) {
                throw new RdaFormatException(source + " uses serialisation format version " + version
                        + "; versions 2 and 3 are supported");
            }
            RObject top = r.item();
            if (!(top instanceof RObject.RPairList list)) {
                throw new RdaFormatException(source + ": the top level is " + top.getClass().getSimpleName()
                        + ", expected the pair list of saved variables");
            }
            Map<String, RObject> out = new LinkedHashMap<>();
            for (Map.Entry<String, RObject> e : list.entries()) {
                out.put(e.getKey(), e.getValue());
            }
            return out;
        } catch (EOFException e) {
            throw new RdaFormatException(source + " is truncated (the R serialisation ends early)");
        }
    }

    private RObject item() throws IOException {
        int flags = in.readInt();
        int type = flags & 0xff;
        switch (type) {
            case NILVALUE_SXP:
                return new RObject.RNull();
            case GLOBALENV_SXP, EMPTYENV_SXP, BASEENV_SXP:
                return new RObject.RNull(); // environments of plain data are irrelevant to its values
            case REFSXP: {
                int index = flags >>> 8;
                if (index == 0) {
                    index = in.readInt();
                }
                if (index < 1 || index > refs.size()) {
                    throw new RdaFormatException(source + ": reference " + index + " outside the table of "
                            + refs.size());
                }
                return refs.get(index - 1);
            }
            case SYMSXP: {
                RObject name = item();
                String s = name instanceof RObject.RStrings str ? str.values()[0] : null;
                RObject sym = new RObject.RSymbol(s);
                refs.add(sym);
                return sym;
            }
            case LISTSXP:
                return pairList(flags);
            case CHARSXP:
                return new RObject.RStrings(new String[]{chars()}, Map.of());
            default:
                break;
        }
        RObject value;
        switch (type) {
            case LGLSXP -> value = new RObject.RLogicals(ints(length()), Map.of());
            case INTSXP -> value = new RObject.RInts(ints(length()), Map.of());
            case REALSXP -> {
                int n = length();
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.readDouble();
                }
                value = new RObject.RDoubles(v, Map.of());
            }
            case STRSXP -> {
                int n = length();
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    int f = in.readInt();
                    if ((f & 0xff) != CHARSXP) {
                        throw new RdaFormatException(source + ": element " + i + " of a character vector has type "
                                + (f & 0xff) + ", expected CHARSXP (9)");
                    }
                    v[i] = chars();
                }
                value = new RObject.RStrings(v, Map.of());
            }
            case VECSXP -> {
                int n = length();
                List<RObject> v = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    v.add(item());
                }
                value = new RObject.RList(v, Map.of());
            }
            case NILSXP -> value = new RObject.RNull();
            default -> throw new RdaFormatException(source + ": R object type " + type + " (flags 0x"
                    + Integer.toHexString(flags) + ") is not supported; only data (vectors, lists, data frames)"
                    + " can be read");
        }
        if ((flags & HAS_ATTR) != 0) {
            value = withAttributes(value, attributes(item()));
        }
        return value;
    }

    private RObject pairList(int flags) throws IOException {
        List<Map.Entry<String, RObject>> entries = new ArrayList<>();
        Map<String, RObject> attrs = Map.of();
        boolean first = true;
        while (true) {
            Map<String, RObject> a = (flags & HAS_ATTR) != 0 ? attributes(item()) : Map.of();
            if (first) {
                attrs = a;
                first = false;
            }
            String tag = null;
            if ((flags & HAS_TAG) != 0) {
                RObject t = item();
                tag = t instanceof RObject.RSymbol s ? s.name() : null;
            }
            entries.add(new AbstractMap.SimpleImmutableEntry<>(tag, item()));
            flags = in.readInt(); // the CDR: another pair-list cell or the end
            int type = flags & 0xff;
            if (type == NILVALUE_SXP) {
                return new RObject.RPairList(entries, attrs);
            }
            if (type != LISTSXP) {
                throw new RdaFormatException(source + ": a pair list continues with type " + type
                        + ", expected another cell or NULL");
            }
        }
    }

    private Map<String, RObject> attributes(RObject list) {
        if (!(list instanceof RObject.RPairList p)) {
            throw new RdaFormatException(source + ": attributes are a " + list.getClass().getSimpleName()
                    + ", expected a pair list");
        }
        Map<String, RObject> out = new LinkedHashMap<>();
        for (Map.Entry<String, RObject> e : p.entries()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static RObject withAttributes(RObject v, Map<String, RObject> a) {
        if (v instanceof RObject.RInts x) {
            return new RObject.RInts(x.values(), a);
        } else if (v instanceof RObject.RLogicals x) {
            return new RObject.RLogicals(x.values(), a);
        } else if (v instanceof RObject.RDoubles x) {
            return new RObject.RDoubles(x.values(), a);
        } else if (v instanceof RObject.RStrings x) {
            return new RObject.RStrings(x.values(), a);
        } else if (v instanceof RObject.RList x) {
            return new RObject.RList(x.values(), a);
        }
        return v;
    }

    private String chars() throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null; // NA_character_
        }
        if (n < 0) {
            throw new RdaFormatException(source + ": negative string length " + n);
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException();
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private int length() throws IOException {
        int n = in.readInt();
        if (n == -1) {
            long upper = in.readInt() & 0xffffffffL;
            long lower = in.readInt() & 0xffffffffL;
            long len = (upper << 32) | lower;
            throw new RdaFormatException(source + ": a vector of " + len + " elements is too long for this reader");
        }
        if (n < 0) {
            throw new RdaFormatException(source + ": negative vector length " + n);
        }
        return n;
    }

    private int[] ints(int n) throws IOException {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readInt();
        }
        return v;
    }

    private static String escape(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
