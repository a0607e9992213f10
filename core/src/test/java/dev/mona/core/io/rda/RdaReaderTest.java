package dev.mona.core.io.rda;

import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader on files written here byte by byte in R's XDR serialisation (as {@code save(df, file=,
 * compress="xz")} lays them out), with the symbol reference table in use.
 */
class RdaReaderTest {
    /** A minimal writer of R's XDR format for the test files. */
    static final class XdrWriter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        final java.util.Map<String, Integer> symbols = new java.util.HashMap<>();

        XdrWriter header(int version) throws IOException {
            out.write(("RDX" + version + "\nX\n").getBytes(StandardCharsets.US_ASCII));
            out.writeInt(version);
            out.writeInt(0x040201);
            out.writeInt(0x020300);
            if (version == 3) {
                out.writeInt(5);
                out.write("UTF-8".getBytes(StandardCharsets.US_ASCII));
            }
            return this;
        }

        void flags(int type, boolean attr, boolean tag, boolean object) throws IOException {
            out.writeInt(type | (object ? 1 << 8 : 0) | (attr ? 1 << 9 : 0) | (tag ? 1 << 10 : 0));
        }

        void charsxp(String s) throws IOException {
            if (s == null) {
                out.writeInt(9);
                out.writeInt(-1);
                return;
            }
            out.writeInt(9 | (1 << 15) << 0); // gp bits: UTF-8 / ASCII flags, ignored by the reader
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        void symbol(String name) throws IOException {
            Integer ref = symbols.get(name);
            if (ref != null) {
                out.writeInt((ref << 8) | 255); // REFSXP with the index packed in the flags
                return;
            }
            out.writeInt(1);
            charsxp(name);
            symbols.put(name, symbols.size() + 1);
        }

        void strings(String... values) throws IOException {
            out.writeInt(16);
            out.writeInt(values.length);
            for (String v : values) {
                charsxp(v);
            }
        }

        /** Starts a pair-list cell with a tag; the caller writes the value, then the next cell or 254. */
        void cell(String tag) throws IOException {
            flags(2, false, true, false);
            symbol(tag);
        }

        void end() throws IOException {
            out.writeInt(254);
        }

        void factor(int[] codes, String... levels) throws IOException {
            flags(13, true, false, true);
            out.writeInt(codes.length);
            for (int c : codes) {
                out.writeInt(c);
            }
            cell("levels");
            strings(levels);
            cell("class");
            strings("factor");
            end();
        }
    }

    static byte[] dataFrameFile(int version) throws IOException {
        XdrWriter w = new XdrWriter().header(version);
        w.cell("df");
        // data.frame(V1 = factor(c("0","1","1")), x = c(1.5, NA, -2), n = c(4L, NA, 6L), Class = factor(...))
        w.flags(19, true, false, true);
        w.out.writeInt(4);
        w.factor(new int[]{1, 2, 2}, "0", "1");
        w.out.writeInt(14);
        w.out.writeInt(3);
        w.out.writeDouble(1.5);
        w.out.writeLong(0x7FF00000000007A2L); // R's NA_real_
        w.out.writeDouble(-2);
        w.out.writeInt(13);
        w.out.writeInt(3);
        w.out.writeInt(4);
        w.out.writeInt(Integer.MIN_VALUE);
        w.out.writeInt(6);
        w.factor(new int[]{3, 1, 2}, "ei", "ie", "n");
        w.cell("names");
        w.strings("V1", "x", "n", "Class");
        w.cell("row.names");
        w.out.writeInt(13);
        w.out.writeInt(2);
        w.out.writeInt(Integer.MIN_VALUE);
        w.out.writeInt(-3);
        w.cell("class");
        w.strings("data.frame");
        w.end();
        // a second variable: a character vector with an NA, whose tag reuses no symbol
        w.cell("notes");
        w.strings("a", null, "ü");
        w.end();
        return w.bytes.toByteArray();
    }

    static byte[] xz(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(b, new LZMA2Options())) {
            out.write(raw);
        }
        return b.toByteArray();
    }

    @Test
    void readsAnXzDataFrameOfFactorsDoublesAndIntegers() throws IOException {
        Map<String, RObject> vars = RdaReader.read(new ByteArrayInputStream(xz(dataFrameFile(2))), "test.rda");
        assertEquals(List.of("df", "notes"), List.copyOf(vars.keySet()));
        RDataFrame df = RDataFrame.of("df", vars.get("df"));
        assertEquals(3, df.rows());
        assertEquals(List.of("V1", "x", "n", "Class"), df.names());
        assertTrue(df.isFactor(0));
        assertEquals(List.of("ei", "ie", "n"), df.levels(3));
        assertArrayEquals(new double[]{2, 0, 1}, df.numeric(3));
        assertArrayEquals(new double[]{0, 1, 1}, df.numeric(0));
        double[] x = df.numeric(1);
        assertEquals(1.5, x[0]);
        assertTrue(Double.isNaN(x[1]));
        assertTrue(Double.isNaN(df.numeric(2)[1]));
        assertEquals(6.0, df.numeric(2)[2]);
        RObject.RStrings notes = (RObject.RStrings) vars.get("notes");
        assertEquals("a", notes.values()[0]);
        assertNull(notes.values()[1]);
        assertEquals("ü", notes.values()[2]);
        assertEquals(List.of("V1", "Class"), df.factorColumns());
    }

    @Test
    void readsVersion3GzipAndUncompressed() throws IOException {
        byte[] raw = dataFrameFile(3);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        }
        assertEquals(3, RDataFrame.of("df", RdaReader.read(new ByteArrayInputStream(gz.toByteArray()), "g").get("df")).rows());
        assertEquals(3, RDataFrame.of("df", RdaReader.read(new ByteArrayInputStream(raw), "u").get("df")).rows());
    }

    @Test
    void malformedFilesAreTypedErrors() throws IOException {
        byte[] raw = dataFrameFile(2);
        RdaFormatException truncated = assertThrows(RdaFormatException.class,
                () -> RdaReader.read(new ByteArrayInputStream(xz(java.util.Arrays.copyOf(raw, raw.length - 40))), "cut.rda"));
        assertTrue(truncated.getMessage().contains("cut.rda") && truncated.getMessage().contains("truncated"));
        assertThrows(RdaFormatException.class, () -> RdaReader.read(
                new ByteArrayInputStream("RDA2\nA\n1 2 3".getBytes(StandardCharsets.US_ASCII)), "ascii.rda"));
        // a closure (type 3) is not data
        XdrWriter w = new XdrWriter().header(2);
        w.cell("f");
        w.out.writeInt(3);
        RdaFormatException closure = assertThrows(RdaFormatException.class,
                () -> RdaReader.read(new ByteArrayInputStream(w.bytes.toByteArray()), "fn.rda"));
        assertTrue(closure.getMessage().contains("type 3"), closure.getMessage());
        RdaFormatException notDf = assertThrows(RdaFormatException.class,
                () -> RDataFrame.of("notes", RdaReader.read(new ByteArrayInputStream(raw), "u").get("notes")));
        assertTrue(notDf.getMessage().contains("notes"));
    }
}
