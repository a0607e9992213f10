package dev.mona.core.io.formats;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads numpy {@code .npz} archives (a zip of {@code .npy} members, stored by {@code np.savez} or deflated by
 * {@code np.savez_compressed}). Members are read one at a time on request, so a large archive such as DeepSEA's
 * {@code deepsea_filtered.npz} never has to be held whole.
 */
public final class NpzReader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;

    private NpzReader(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
    }

    /** Opens an archive; a file that is not a zip is a {@link CorruptDataException}. */
    public static NpzReader open(Path file) throws IOException {
        try {
            return new NpzReader(file, new ZipFile(file.toFile()));
        } catch (ZipException e) {
            throw new CorruptDataException(file.toString(), "zip central directory", "an npz (zip) archive",
                    e.getMessage(), e);
        }
    }

    /** Reads all members: key (member name without {@code .npy}) to array. */
    public static Map<String, NdArray> readAll(Path file) throws IOException {
        try (NpzReader r = open(file)) {
            Map<String, NdArray> out = new LinkedHashMap<>();
            for (String k : r.keys()) {
                out.put(k, r.get(k));
            }
            return out;
        }
    }

    /** Member keys in archive order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        Enumeration<? extends ZipEntry> e = zip.entries();
        while (e.hasMoreElements()) {
            String n = e.nextElement().getName();
            keys.add(n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n);
        }
        return keys;
    }

    /** One member by key; a missing key names the keys present. */
    public NdArray get(String key) throws IOException {
        ZipEntry entry = zip.getEntry(key + ".npy");
        if (entry == null) {
            entry = zip.getEntry(key);
        }
        if (entry == null) {
            throw new CorruptDataException(file.toString(), "member " + key, "an array named '" + key + "'",
                    "only " + keys());
        }
        String name = file + ":" + entry.getName();
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
            return NpyReader.read(in, name);
        } catch (ZipException e) {
            throw new CorruptDataException(name, "compressed data", "a valid deflate stream", e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
