package dev.mona.core.io.formats;

import dev.mona.core.io.formats.ArrayDecoding.NumpyType;
import dev.mona.core.io.formats.NdArray.DType;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numpy {@code .npy} files: format versions 1.0, 2.0 and 3.0 (2- or 4-byte header length, latin-1 or UTF-8
 * header), little and big endian, C and Fortran order (Fortran data is reordered to row-major), bool, signed and
 * unsigned integers, float16/32/64, and object arrays, whose payload is a pickle read by {@link NumpyPickle}
 * (what {@code np.save(..., allow_pickle=True)} writes, e.g. NAS-Bench-360's {@code satellite_train.npy}, a 0-d
 * object array holding a dict).
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /** Reads a whole {@code .npy} file. */
    public static NdArray read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads one array from a stream positioned at the magic string.
     *
     * @param name file or archive entry name, for error messages
     */
    public static NdArray read(InputStream in, String name) throws IOException {
        byte[] magic = ArrayDecoding.readExactly(in, 8, name, 0, "npy magic and version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new CorruptDataException(name, "offset 0", "the npy magic \\x93NUMPY",
                        "bytes " + hex(magic, 6));
            }
        }
        int major = magic[6] & 0xFF;
        int headerLength;
        long offset;
        if (major == 1) {
            byte[] l = ArrayDecoding.readExactly(in, 2, name, 8, "header length");
            headerLength = (l[0] & 0xFF) | (l[1] & 0xFF) << 8;
            offset = 10;
        } else if (major == 2 || major == 3) {
            byte[] l = ArrayDecoding.readExactly(in, 4, name, 8, "header length");
            long len = (l[0] & 0xFFL) | (l[1] & 0xFFL) << 8 | (l[2] & 0xFFL) << 16 | (l[3] & 0xFFL) << 24;
            if (len > 100_000_000L) {
                throw new CorruptDataException(name, "offset 8", "a header length below 100 MB", len + " bytes");
            }
            headerLength = (int) len;
            offset = 12;
        } else {
            throw new CorruptDataException(name, "offset 6", "npy format version 1, 2 or 3",
                    "version " + major + "." + (magic[7] & 0xFF));
        }
        byte[] hb = ArrayDecoding.readExactly(in, headerLength, name, offset, "npy header");
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        long dataOffset = offset + headerLength;

        Matcher md = DESCR.matcher(header);
        Matcher mf = FORTRAN.matcher(header);
        Matcher ms = SHAPE.matcher(header);
        if (!md.find() || !mf.find() || !ms.find()) {
            throw new CorruptDataException(name, "offset " + offset, "a header dict with 'descr', 'fortran_order' and"
                    + " 'shape' and a simple dtype (structured dtypes are not supported)", "'" + header.strip() + "'");
        }
        NumpyType type = ArrayDecoding.parseNumpyType(md.group(1));
        boolean fortranOrder = mf.group(1).equals("True");
        if (type == null && md.group(1).matches("[<>|=]?[US]\\d+")) {
            long[] sshape = parseShape(ms.group(1), name);
            int count = ArrayDecoding.checkedCount(sshape, name);
            int width = Integer.parseInt(md.group(1).replaceAll("\\D", ""));
            int item = md.group(1).contains("U") ? 4 * width : width;
            byte[] raw = ArrayDecoding.readExactly(in, count * item, name, offset + headerLength, "string data");
            Object[] strings = ArrayDecoding.decodeStrings(md.group(1), raw, count);
            if (fortranOrder) {
                strings = (Object[]) ArrayDecoding.columnToRowMajor(strings, DType.OBJECT, sshape);
            }
            return new NdArray(DType.OBJECT, sshape, strings);
        }
        if (type == null) {
            throw new CorruptDataException(name, "header field descr", "a bool, integer, float, string or object dtype",
                    "'" + md.group(1) + "'");
        }
        boolean fortran = mf.group(1).equals("True");
        long[] shape = parseShape(ms.group(1), name);
        int n = ArrayDecoding.checkedCount(shape, name);

        if (type.dtype() == DType.OBJECT) {
            Object pickled = NumpyPickle.load(in, name + " (pickled object array at offset " + dataOffset + ")");
            return objectArray(pickled, shape, name);
        }
        Object data = ArrayDecoding.read(in, type, n, name, dataOffset);
        if (fortran) {
            data = ArrayDecoding.columnToRowMajor(data, type.dtype(), shape);
        }
        return new NdArray(type.dtype(), shape, data);
    }

    private static NdArray objectArray(Object pickled, long[] shape, String name) {
        if (pickled instanceof NdArray a) {
            return a;
        }
        // a pickled object that is not an ndarray: keep it as a 0-d object array
        if (shape.length == 0) {
            return new NdArray(DType.OBJECT, shape, new Object[]{pickled});
        }
        throw new CorruptDataException(name, "pickled payload", "a pickled numpy array of shape "
                + java.util.Arrays.toString(shape), pickled == null ? "None" : pickled.getClass().getSimpleName());
    }

    private static long[] parseShape(String s, String name) {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                dims.add(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw new CorruptDataException(name, "header field shape", "a tuple of integers", "(" + s + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
