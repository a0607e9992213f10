package dev.mona.core.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive for a parameter-free module from its TorchScript source, in plain Java (no Python at
 * build or run time). Layout, as libtorch's {@code torch::jit::load} reads it: a STORED zip whose entries sit under
 * one folder {@code NAME/}: {@code code/__torch__.py} (the class source), {@code data.pkl} (the pickled module
 * object: GLOBAL {@code __torch__ ClassName}, EMPTY_TUPLE, NEWOBJ, BUILD with {@code {'training': True}}),
 * {@code constants.pkl} (a pickled empty tuple) and {@code version} ({@code 3}).
 */
public final class TorchScriptArchive {
    private TorchScriptArchive() {}

    /** The archive bytes of class {@code __torch__.className} defined by {@code source} (TorchScript). */
    public static byte[] write(String archiveName, String className, String source) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(archiveName + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        entries.put(archiveName + "/data.pkl", moduleObjectPickle(className));
        entries.put(archiveName + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
        entries.put(archiveName + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] data = e.getValue();
                ZipEntry entry = new ZipEntry(e.getKey());
                // libtorch's reader maps entries directly: they must be STORED, with size and CRC up front
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(data.length);
                entry.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 of a module object of class {@code __torch__.className} with state {training: True}. */
    static byte[] moduleObjectPickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO
        p.write(2);
        writeAscii(p, "c__torch__\n" + className + "\n"); // GLOBAL module \n name \n
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.UTF_8);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.write(key, 0, key.length);
        p.write(0x88); // NEWTRUE
        p.write('s'); // SETITEM
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }
}
