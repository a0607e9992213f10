package dev.mona.core.io.formats;

import dev.mona.core.io.formats.NdArray.DType;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Matrix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads numeric fields of MATLAB {@code .mat} files: level-5 (v5, v6, v7 with compression) through
 * {@code us.hebi.matlab.mat:mfl-core}, and v7.3 (an HDF5 file, behind MATLAB's 512-byte header or, as h5py writes
 * it, none) through jhdf. MATLAB stores arrays column-major and v7.3 files list the dimensions reversed; both are
 * undone here, so a field comes back in MATLAB's own index order, row-major: Darcy's {@code coeff} is (1024, 421, 421) from either version.
 * Strides subsample while reading, so a 421 x 421 field read with stride 5 never materialises at full size
 * (for v7.3 the outermost stored dimension is skipped on disk).
 */
public final class MatReader {
    /** The two container formats. */
    public enum Version { V5, V73 }

    private MatReader() {
    }

    /**
     * Detects the container: v7.3 when the file holds the HDF5 signature at 0, 512, 1024, ... (MATLAB writes a
     * 512-byte user block first; h5py and other HDF5 writers none), else v5 from its 128-byte text header.
     */
    public static Version version(Path file) throws IOException {
        if (Hdf5Reader.signatureOffset(file) >= 0) {
            return Version.V73;
        }
        byte[] head = new byte[128];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            got = ArrayDecoding.readFully(in, head, head.length);
        }
        String text = new String(head, 0, Math.min(got, 116), StandardCharsets.ISO_8859_1);
        if (got >= 128 && text.startsWith("MATLAB")) {
            return Version.V5;
        }
        throw new CorruptDataException(file.toString(), "offset 0", "a MATLAB header ('MATLAB 5.0 MAT-file' or"
                + " v7.3: the HDF5 signature at offset 0, 512, 1024, ...)", got < 128 ? got + " bytes in all"
                : "'" + text.substring(0, Math.min(40, text.length())).strip() + "'");
    }

    /** Reads a whole numeric field. */
    public static NdArray read(Path file, String field) throws IOException {
        return read(file, field, new int[0]);
    }

    /**
     * Reads a numeric field subsampled by {@code strides} in MATLAB dimension order (missing strides are 1): element
     * {@code [i0*s0, i1*s1, ...]} for every in-range index, i.e. numpy's {@code x[::s0, ::s1, ...]}.
     * Doubles stay FLOAT64, singles FLOAT32; integer classes become FLOAT64.
     */
    public static NdArray read(Path file, String field, int... strides) throws IOException {
        return version(file) == Version.V73 ? readV73(file, field, strides) : readV5(file, field, strides);
    }

    /** Field names in the file. */
    public static List<String> fields(Path file) throws IOException {
        if (version(file) == Version.V73) {
            try (Hdf5Reader r = Hdf5Reader.open(file)) {
                return r.rootNames();
            }
        }
        try (Mat5File mat = Mat5.readFromFile(file.toFile())) {
            List<String> names = new ArrayList<>();
            mat.getEntries().forEach(e -> names.add(e.getName()));
            return names;
        }
    }

    private static NdArray readV5(Path file, String field, int[] strides) throws IOException {
        Mat5File mat;
        try {
            mat = Mat5.readFromFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException(file.toString(), "MAT-file v5 data elements", "a complete level-5 MAT-file",
                    e.toString(), e);
        }
        try (mat) {
            Array a;
            try {
                a = mat.getArray(field);
            } catch (RuntimeException e) {
                a = null;
            }
            if (a == null) {
                List<String> names = new ArrayList<>();
                mat.getEntries().forEach(e -> names.add(e.getName()));
                throw new CorruptDataException(file.toString(), "field " + field, "a variable named '" + field + "'",
                        "only " + names);
            }
            if (!(a instanceof Matrix m) || m.isComplex()) {
                throw new CorruptDataException(file.toString(), "field " + field, "a real numeric matrix",
                        a.getType() + (a instanceof Matrix ? " (complex)" : ""));
            }
            long[] dims = Arrays.stream(m.getDimensions()).asLongStream().toArray();
            boolean single = m.getType() == us.hebi.matlab.mat.types.MatlabType.Single;
            Subsample s = new Subsample(dims, strides);
            int n = ArrayDecoding.checkedCount(s.out, file + ":" + field);
            Object data = single ? new float[n] : new double[n];
            int[] idx = new int[dims.length];
            for (int i = 0; i < n; i++) {
                long src = s.columnMajorSource(idx);
                if (single) {
                    ((float[]) data)[i] = m.getFloat((int) src);
                } else {
                    ((double[]) data)[i] = m.getDouble((int) src);
                }
                s.next(idx);
            }
            return new NdArray(single ? DType.FLOAT32 : DType.FLOAT64, s.out, data);
        }
    }

    private static NdArray readV73(Path file, String field, int[] strides) {
        try (Hdf5Reader r = Hdf5Reader.open(file)) {
            long[] stored = r.shape(field);
            int k = stored.length;
            long[] dims = new long[k];
            for (int i = 0; i < k; i++) {
                dims[i] = stored[k - 1 - i];
            }
            Subsample s = new Subsample(dims, strides);
            int n = ArrayDecoding.checkedCount(s.out, file + ":" + field);
            if (k == 0) {
                return r.read(field);
            }
            // one slab per kept index of the last MATLAB dimension (the outermost stored one)
            int last = k - 1;
            int lastStride = s.stride[last];
            int[] count = new int[k];
            count[0] = 1;
            for (int i = 1; i < k; i++) {
                count[i] = (int) stored[i];
            }
            double[] out = new double[n];
            float[] outF = null;
            DType type = DType.FLOAT64;
            long[] slabDims = Arrays.copyOf(dims, last);
            long perLast = n / Math.max(1, s.out[last]);
            for (int j = 0; j < s.out[last]; j++) {
                long[] offset = new long[k];
                offset[0] = (long) j * lastStride;
                NdArray slab = r.readSlab(field, offset, count);
                if (slab.dtype() == DType.FLOAT32 && outF == null) {
                    outF = new float[n];
                    type = DType.FLOAT32;
                }
                // slab is column-major over MATLAB dims 0..k-2
                int[] idx = new int[k];
                for (long i = 0; i < perLast; i++) {
                    long src = s.columnMajorSource(idx, last);
                    // output row-major: the last MATLAB index is the fastest
                    long dst = i * s.out[last] + j;
                    if (outF != null) {
                        outF[(int) dst] = (float) slab.getDouble((int) src);
                    } else {
                        out[(int) dst] = slab.getDouble((int) src);
                    }
                    s.nextPrefix(idx, last);
                }
            }
            return new NdArray(type, s.out, type == DType.FLOAT32 ? outF : out);
        }
    }

    /** Index arithmetic of a strided read over column-major storage. */
    private static final class Subsample {
        final long[] dims;
        final int[] stride;
        final long[] out;

        Subsample(long[] dims, int[] strides) {
            this.dims = dims;
            this.stride = new int[dims.length];
            this.out = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                stride[i] = i < strides.length ? strides[i] : 1;
                if (stride[i] < 1) {
                    throw new IllegalArgumentException("stride " + stride[i] + " in dimension " + i + " must be >= 1");
                }
                out[i] = (dims[i] + stride[i] - 1) / stride[i];
            }
        }

        long columnMajorSource(int[] idx) {
            return columnMajorSource(idx, dims.length);
        }

        /** Column-major offset of output index {@code idx} over the first {@code upto} dimensions. */
        long columnMajorSource(int[] idx, int upto) {
            long off = 0;
            long mul = 1;
            for (int d = 0; d < upto; d++) {
                off += (long) idx[d] * stride[d] * mul;
                mul *= dims[d];
            }
            return off;
        }

        void next(int[] idx) {
            nextPrefix(idx, dims.length);
        }

        /** Row-major increment of the output index over the first {@code upto} dimensions. */
        void nextPrefix(int[] idx, int upto) {
            for (int d = upto - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    return;
                }
                idx[d] = 0;
            }
        }
    }
}
