package dev.mona.core.io.formats;

import dev.mona.core.io.formats.NdArray.DType;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
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
        try {
            return new Hdf5Reader(file, new HdfFile(file));
        } catch (HdfException e) {
            throw new CorruptDataException(file.toString(), "superblock", "an HDF5 file", e.getMessage(), e);
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
            Object multi = d.getData(offset, count);
            return toNdArray(flatten(multi, ArrayDecoding.checkedCount(shape, dataset)), shape, dataset);
        } catch (HdfException e) {
            throw new CorruptDataException(file.toString(), "dataset " + dataset + " slab at " + Arrays.toString(offset),
                    "readable data of shape " + Arrays.toString(count), e.getMessage(), e);
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
