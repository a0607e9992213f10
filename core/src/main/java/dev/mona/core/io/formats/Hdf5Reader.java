package dev.mona.core.io.formats;

import dev.mona.core.io.formats.NdArray.DType;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.exceptions.HdfException;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads HDF5 datasets with {@code io.jhdf:jhdf} (pure Java): contiguous, chunked and gzip/shuffle-filtered
 * datasets of floats and integers, whole or by hyperslab. Used for the PDEBench files
 * (e.g. {@code tensor} of shape (samples, time, x) in {@code 1D_Advection_Sols_beta0.4.hdf5}) and for MATLAB v7.3
 * files. An open reader holds the file; close it.
 */
public final class Hdf5Reader implements AutoCloseable {
    private final Path file;
    private final HdfFile hdf;

    private Hdf5Reader(Path file, HdfFile hdf) {
        this.file = file;
        this.hdf = hdf;
    }

    /** Opens a file; a file that is not HDF5 is a {@link CorruptDataException}. */
    public static Hdf5Reader open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no HDF5 file at " + file + ": download the task's data first");
        }
        checkComplete(file);
        try {
            return new Hdf5Reader(file, new HdfFile(file));
        } catch (HdfException e) {
            throw new CorruptDataException(file.toString(), "superblock", "an HDF5 file", e.getMessage(), e);
        }
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /**
     * The offset of the HDF5 signature: the superblock sits at 0, or after a user block at 512, 1024, 2048, ...
     * (MATLAB v7.3 writes a 512-byte one; h5py and libhdf5 write none by default). -1 when there is none.
     */
    static long signatureOffset(java.nio.channels.FileChannel ch) throws java.io.IOException {
        long length = ch.size();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(SIGNATURE.length);
        for (long at = 0; at + SIGNATURE.length <= length; at = at == 0 ? 512 : at * 2) {
            b.clear();
            ch.read(b, at);
            if (!b.hasRemaining() && java.util.Arrays.equals(b.array(), SIGNATURE)) {
                return at;
            }
        }
        return -1;
    }

    /** {@link #signatureOffset(java.nio.channels.FileChannel)} of a file. */
    static long signatureOffset(Path file) throws java.io.IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            return signatureOffset(ch);
        }
    }

    /**
     * Compares the superblock's end-of-file address with the file's length: jhdf reads past the end of a truncated
     * file as zeros, so a cut download would otherwise be read as silently wrong data.
     */
    static void checkComplete(Path file) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long length = ch.size();
            long at = signatureOffset(ch);
            if (at < 0) {
                throw new CorruptDataException(file.toString(), "offset 0", "the HDF5 signature at offset 0, 512, 1024,"
                        + " ...", "none in " + length + " bytes");
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(96).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(b, at);
            b.flip();
            int version = b.get(8) & 0xFF;
            int offsets;
            int eofField;
            int baseField;
            if (version <= 1) {
                offsets = b.get(13) & 0xFF;
                baseField = version == 0 ? 24 : 28;
                eofField = baseField + 2 * offsets;
            } else {
                offsets = b.get(9) & 0xFF;
                baseField = 12;
                eofField = baseField + 2 * offsets;
            }
            if (offsets != 8 || b.limit() < eofField + 8) {
                return;
            }
            long base = b.getLong(baseField);
            long eof = b.getLong(eofField);
            // h5py/libhdf5 record the end of file including the user block, whatever the base address
            if (eof != -1 && eof > length) {
                throw new CorruptDataException(file.toString(), "superblock end-of-file address (base " + base
                        + ")", eof + " bytes", length + " bytes (the file is truncated)");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot read", e);
        }
    }

    /** Reads a whole dataset, e.g. {@code "tensor"} or {@code "0000/data"}. */
    public static NdArray read(Path file, String dataset) {
        try (Hdf5Reader r = open(file)) {
            return r.read(dataset);
        }
    }

    /** Paths of all datasets, depth first, sorted within each group. */
    public List<String> datasets() {
        List<String> out = new ArrayList<>();
        collect(hdf, out);
        return out;
    }

    /** Names of the root group's children, sorted (PDEBench multi-sample files: one group per sample). */
    public List<String> rootNames() {
        List<String> names = new ArrayList<>(hdf.getChildren().keySet());
        names.sort(null);
        return names;
    }

    /** Dimensions of a dataset. */
    public long[] shape(String dataset) {
        return Arrays.stream(dataset(dataset).getDimensions()).asLongStream().toArray();
    }

    /** A whole dataset in row-major order. */
    public NdArray read(String dataset) {
        Dataset d = dataset(dataset);
        try {
            long[] shape = shape(dataset);
            ArrayDecoding.checkedCount(shape, file + ":" + dataset);
            Object flat = d.isScalar() ? d.getData() : d.getDataFlat();
            return toNdArray(flat, shape, dataset);
        } catch (HdfException e) {
            throw new CorruptDataException(file.toString(), "dataset " + dataset, "readable " + d.getJavaType()
                    + " data", e.getMessage(), e);
        }
    }

    /** A hyperslab: {@code count[k]} elements from {@code offset[k]} in each dimension. */
    public NdArray readSlab(String dataset, long[] offset, int[] count) {
        Dataset d = dataset(dataset);
        long[] shape = Arrays.stream(count).asLongStream().toArray();
        try {
            if (d instanceof ChunkedDataset c) {
                // jhdf 0.9.4 returns zeros for slices that span several chunks, so slabs are cut from the chunks here
                return chunkedSlab(c, offset, count, dataset);
            }
            Object multi = d.getData(offset, count);
            return toNdArray(flatten(multi, ArrayDecoding.checkedCount(shape, dataset)), shape, dataset);
        } catch (HdfException e) {
            throw new CorruptDataException(file.toString(), "dataset " + dataset + " slab at " + Arrays.toString(offset),
                    "readable data of shape " + Arrays.toString(count), e.getMessage(), e);
        }
    }

    private NdArray chunkedSlab(ChunkedDataset d, long[] offset, int[] count, String name) {
        DataType type = d.getDataType();
        NdArray.DType t;
        if (type instanceof FloatingPoint fp) {
            t = fp.getSize() == 4 ? DType.FLOAT32 : DType.FLOAT64;
        } else if (type instanceof FixedPoint fx) {
            t = switch (fx.getSize()) {
                case 1 -> fx.isSigned() ? DType.INT8 : DType.UINT8;
                case 2 -> fx.isSigned() ? DType.INT16 : DType.UINT16;
                case 4 -> fx.isSigned() ? DType.INT32 : DType.UINT32;
                default -> fx.isSigned() ? DType.INT64 : DType.UINT64;
            };
        } else {
            throw new CorruptDataException(file.toString(), "dataset " + name, "float or integer elements",
                    type.getClass().getSimpleName());
        }
        java.nio.ByteOrder order = ((io.jhdf.object.datatype.OrderedDataType) type).getByteOrder();
        ArrayDecoding.NumpyType nt = new ArrayDecoding.NumpyType(t, order, false);
        int[] dims = d.getDimensions();
        int[] chunk = d.getChunkDimensions();
        int k = dims.length;
        long[] shape = Arrays.stream(count).asLongStream().toArray();
        int n = ArrayDecoding.checkedCount(shape, name);
        Object out = ArrayDecoding.allocate(t, n);
        int[] first = new int[k];
        int[] last = new int[k];
        for (int i = 0; i < k; i++) {
            if (offset[i] < 0 || count[i] < 0 || offset[i] + count[i] > dims[i]) {
                throw new IllegalArgumentException("slab " + Arrays.toString(offset) + " + " + Arrays.toString(count)
                        + " outside dataset " + name + " of shape " + Arrays.toString(dims));
            }
            first[i] = (int) (offset[i] / chunk[i]);
            last[i] = (int) ((offset[i] + count[i] - 1) / chunk[i]);
        }
        if (n == 0) {
            return new NdArray(t, shape, out);
        }
        int[] ci = first.clone();
        while (true) {
            int[] chunkOffset = new int[k];
            for (int i = 0; i < k; i++) {
                chunkOffset[i] = ci[i] * chunk[i];
            }
            byte[] raw = d.getDecompressedChunk(chunkOffset);
            int chunkElements = 1;
            for (int c : chunk) {
                chunkElements *= c;
            }
            Object values = ArrayDecoding.decode(java.nio.ByteBuffer.wrap(raw).order(order), nt, chunkElements);
            copyChunk(values, chunk, chunkOffset, out, offset, count);
            int i = k - 1;
            while (i >= 0 && ++ci[i] > last[i]) {
                ci[i] = first[i];
                i--;
            }
            if (i < 0) {
                break;
            }
        }
        return new NdArray(t, shape, out);
    }

    /** Copies the part of one chunk that lies inside the slab. */
    private static void copyChunk(Object chunkValues, int[] chunk, int[] chunkOffset, Object out, long[] offset,
                                  int[] count) {
        int k = chunk.length;
        int[] lo = new int[k];
        int[] hi = new int[k];
        for (int i = 0; i < k; i++) {
            lo[i] = (int) Math.max(chunkOffset[i], offset[i]);
            hi[i] = (int) Math.min(chunkOffset[i] + chunk[i], offset[i] + count[i]);
            if (lo[i] >= hi[i]) {
                return;
            }
        }
        int[] idx = lo.clone();
        int run = hi[k - 1] - lo[k - 1];
        while (true) {
            long src = 0;
            long dst = 0;
            for (int i = 0; i < k; i++) {
                src = src * chunk[i] + (idx[i] - chunkOffset[i]);
                dst = dst * count[i] + (idx[i] - offset[i]);
            }
            System.arraycopy(chunkValues, (int) src, out, (int) dst, run);
            int i = k - 2;
            while (i >= 0 && ++idx[i] >= hi[i]) {
                idx[i] = lo[i];
                i--;
            }
            if (i < 0) {
                return;
            }
        }
    }

    private Dataset dataset(String path) {
        Node n;
        try {
            n = hdf.getByPath(path);
        } catch (HdfException e) {
            n = null;
        }
        if (!(n instanceof Dataset d)) {
            throw new CorruptDataException(file.toString(), "dataset " + path, "a dataset named '" + path + "'",
                    "none; datasets present: " + datasets());
        }
        return d;
    }

    private static void collect(Group g, List<String> out) {
        List<String> names = new ArrayList<>(g.getChildren().keySet());
        names.sort(null);
        for (String name : names) {
            Node n = g.getChild(name);
            if (n instanceof Dataset) {
                out.add(n.getPath().startsWith("/") ? n.getPath().substring(1) : n.getPath());
            } else if (n instanceof Group sub) {
                collect(sub, out);
            }
        }
    }

    private NdArray toNdArray(Object flat, long[] shape, String dataset) {
        if (!flat.getClass().isArray()) {
            // a scalar dataset comes back boxed
            flat = flat instanceof Number num ? new double[]{num.doubleValue()} : new Object[]{flat};
            shape = new long[0];
        }
        DType t;
        Object data = flat;
        if (flat instanceof float[]) {
            t = DType.FLOAT32;
        } else if (flat instanceof double[]) {
            t = DType.FLOAT64;
        } else if (flat instanceof int[]) {
            t = DType.INT32;
        } else if (flat instanceof long[]) {
            t = DType.INT64;
        } else if (flat instanceof short[]) {
            t = DType.INT16;
        } else if (flat instanceof byte[]) {
            t = DType.INT8;
        } else if (flat instanceof boolean[] b) {
            byte[] bytes = new byte[b.length];
            for (int i = 0; i < b.length; i++) {
                bytes[i] = (byte) (b[i] ? 1 : 0);
            }
            t = DType.BOOL;
            data = bytes;
        } else if (flat instanceof Object[]) {
            t = DType.OBJECT;
        } else {
            throw new CorruptDataException(file.toString(), "dataset " + dataset, "numeric data",
                    flat.getClass().getSimpleName());
        }
        return new NdArray(t, shape, data);
    }

    /** Flattens a jhdf multi-dimensional Java array (e.g. {@code float[][][]}) to row-major. */
    static Object flatten(Object multi, int n) {
        Class<?> leaf = multi.getClass();
        while (leaf.getComponentType().isArray()) {
            leaf = leaf.getComponentType();
        }
        Object out = Array.newInstance(leaf.getComponentType(), n);
        int[] pos = {0};
        copyInto(multi, out, pos);
        return out;
    }

    private static void copyInto(Object a, Object out, int[] pos) {
        if (!a.getClass().getComponentType().isArray()) {
            int len = Array.getLength(a);
            System.arraycopy(a, 0, out, pos[0], len);
            pos[0] += len;
            return;
        }
        for (int i = 0, len = Array.getLength(a); i < len; i++) {
            copyInto(Array.get(a, i), out, pos);
        }
    }

    @Override
    public void close() {
        hdf.close();
    }
}
