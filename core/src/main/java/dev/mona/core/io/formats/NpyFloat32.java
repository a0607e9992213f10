package dev.mona.core.io.formats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes float32 arrays as numpy {@code .npy} files (the output of predictions) (format 1.0, little-endian, C order), as NumPy reads them. */
public final class NpyFloat32 {
    private NpyFloat32() {}

    /** The bytes of an npy file holding {@code data} with {@code shape}. */
    public static byte[] bytes(long[] shape, float[] data) {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        // a 1-tuple needs its trailing comma: (9,)
        dims.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }";
        // magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to 64 bytes
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        b.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer values = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            values.putFloat(v);
        }
        b.writeBytes(values.array());
        return b.toByteArray();
    }
}
