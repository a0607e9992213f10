package dev.mona.core.io.formats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Test-side pickle writer that emits the opcodes CPython's pickler emits for numpy arrays, dicts, lists, ints,
 * strings and bytes, per protocol: protocol 2 (GLOBAL, bytes via {@code _codecs.encode}), 3 (BINBYTES),
 * 4 (FRAME, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE) and 5 (numpy's {@code _frombuffer} with BYTEARRAY8).
 */
public final class PickleBytes {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int protocol;

    PickleBytes(int protocol) {
        this.protocol = protocol;
    }

    public static byte[] pickle(int protocol, java.util.function.Consumer<PickleBytes> value) {
        PickleBytes p = new PickleBytes(protocol);
        value.accept(p);
        p.op('.');
        byte[] b = p.body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(protocol);
        if (protocol >= 4) {
            // one frame holding the rest
            out.write(0x95);
            out.writeBytes(le(8, b.length));
        }
        out.writeBytes(b);
        return out.toByteArray();
    }

    public PickleBytes op(int code) {
        body.write(code);
        return this;
    }

    public PickleBytes memoize() {
        if (protocol >= 4) {
            op(0x94);
        }
        return this;
    }

    public PickleBytes global(String module, String name) {
        if (protocol >= 4) {
            str(module).str(name).op(0x93).memoize();
        } else {
            op('c');
            body.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return this;
    }

    public PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (protocol >= 4 && b.length < 256) {
            op(0x8c);
            body.write(b.length);
        } else {
            op('X');
            body.writeBytes(le(4, b.length));
        }
        body.writeBytes(b);
        return memoize();
    }

    public PickleBytes bytes(byte[] b) {
        if (protocol == 2) {
            // Python 3 bytes under protocol 2: _codecs.encode(latin-1 text, 'latin1')
            global("_codecs", "encode");
            str(new String(b, StandardCharsets.ISO_8859_1));
            str("latin1");
            op(0x86).op('R');
            return this;
        }
        if (b.length < 256) {
            op('C');
            body.write(b.length);
        } else {
            op('B');
            body.writeBytes(le(4, b.length));
        }
        body.writeBytes(b);
        return memoize();
    }

    /** A Python 2 {@code str} of raw bytes (SHORT_BINSTRING / BINSTRING), as cPickle wrote keys and array data. */
    public PickleBytes binstring(byte[] b) {
        if (b.length < 256) {
            op('U');
            body.write(b.length);
        } else {
            op('T');
            body.writeBytes(le(4, b.length));
        }
        body.writeBytes(b);
        return this;
    }

    public PickleBytes integer(long v) {
        if (v >= 0 && v < 256) {
            op('K');
            body.write((int) v);
        } else {
            op('J');
            body.writeBytes(le(4, v));
        }
        return this;
    }

    public PickleBytes bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    public PickleBytes none() {
        return op('N');
    }

    public PickleBytes tuple(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    /** numpy.dtype(code, False, True) with BUILD (3, order, None, None, None, -1, -1, flags). */
    public PickleBytes dtype(String code, String order) {
        global("numpy", "dtype");
        str(code).bool(false).bool(true).op(0x87).op('R');
        op('(').integer(3).str(order).none().none().none().integer(-1).integer(-1)
                .integer(code.startsWith("O") ? 63 : 0).op('t').op('b');
        return this;
    }

    /** A numeric ndarray of the given raw (already ordered) bytes, as numpy pickles it in this protocol. */
    public PickleBytes ndarray(String code, String order, long[] shape, boolean fortran, byte[] raw) {
        if (protocol >= 5) {
            global("numpy.core.numeric", "_frombuffer");
            op('(');
            op(0x96);
            body.writeBytes(le(8, raw.length));
            body.writeBytes(raw);
            memoize();
            dtype(code, order);
            tuple(shape);
            str(fortran ? "F" : "C");
            return op('t').op('R');
        }
        global("numpy.core.multiarray", "_reconstruct");
        global("numpy", "ndarray");
        tuple(0);
        bytes("b".getBytes(StandardCharsets.US_ASCII));
        op(0x87).op('R');
        op('(').integer(1).tuple(shape);
        dtype(code, order);
        bool(fortran);
        bytes(raw);
        op('t').op('b');
        return this;
    }

    static byte[] le(int n, long v) {
        ByteBuffer bb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[n];
        System.arraycopy(bb.array(), 0, out, 0, n);
        return out;
    }
}
