package dev.mona.core.io.formats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test-side writer of the npy format, written from the format specification (not from the reader). */
public final class NpyWriter {
    private NpyWriter() {
    }

    /**
     * @param values  elements in row-major logical order
     * @param descr   numpy type string, e.g. {@code <f4}, {@code >f8}, {@code |u1}, {@code <i8}, {@code |b1}
     * @param fortran write the data column-major and say so in the header
     * @param version format major version 1, 2 or 3
     */
    public static byte[] npy(double[] values, long[] shape, String descr, boolean fortran, int version) throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]).append(i == 0 && shape.length == 1 ? "," : (i < shape.length - 1 ? ", " : ""));
        }
        sh.append(")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + sh + ", }";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeHeader(out, dict, version);
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String code = descr.substring(1);
        int size = Integer.parseInt(code.substring(1));
        ByteBuffer bb = ByteBuffer.allocate(values.length * size).order(order);
        double[] ordered = fortran ? toColumnMajor(values, shape) : values;
        for (double v : ordered) {
            switch (code) {
                case "f4" -> bb.putFloat((float) v);
                case "f8" -> bb.putDouble(v);
                case "i1", "u1", "b1" -> bb.put((byte) (long) v);
                case "i2", "u2" -> bb.putShort((short) (long) v);
                case "i4", "u4" -> bb.putInt((int) (long) v);
                case "i8", "u8" -> bb.putLong((long) v);
                default -> throw new IllegalArgumentException(code);
            }
        }
        out.write(bb.array());
        return out.toByteArray();
    }

    public static void writeHeader(ByteArrayOutputStream out, String dict, int version) throws IOException {
        byte[] text = dict.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = version == 1 ? 10 : 12;
        // pad with spaces so that the data starts on a 64-byte boundary, newline last
        int total = prefix + text.length + 1;
        int pad = (64 - total % 64) % 64;
        int hlen = text.length + pad + 1;
        out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            out.write(hlen & 0xFF);
            out.write(hlen >> 8);
        } else {
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(hlen).array());
        }
        out.write(text);
        for (int i = 0; i < pad; i++) {
            out.write(' ');
        }
        out.write('\n');
    }

    /** Row-major values reordered column-major, computed with explicit multi-indices. */
    static double[] toColumnMajor(double[] rowMajor, long[] shape) {
        int d = shape.length;
        double[] out = new double[rowMajor.length];
        int[] idx = new int[d];
        for (int i = 0; i < rowMajor.length; i++) {
            // decode i as a row-major multi-index
            long rem = i;
            for (int k = d - 1; k >= 0; k--) {
                idx[k] = (int) (rem % shape[k]);
                rem /= shape[k];
            }
            long f = 0;
            long mul = 1;
            for (int k = 0; k < d; k++) {
                f += idx[k] * mul;
                mul *= shape[k];
            }
            out[(int) f] = rowMajor[i];
        }
        return out;
    }
}
