package dev.vpnrouter.ike.wire;

/**
 * A bounds-checked big-endian cursor over part of a byte array. Every read past the limit becomes an
 * {@link IsakmpDecodeException} (PAYLOAD-MALFORMED unless told otherwise), so no decoder can throw an index exception.
 */
final class WireReader {
    private final byte[] buf;
    private final int limit;
    private int pos;

    WireReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    byte[] array() {
        return buf;
    }

    private void need(int n, String what) throws IsakmpDecodeException {
        if (n > limit - pos) {
            throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                    what + ": need " + n + " bytes, " + (limit - pos) + " left");
        }
    }

    int u8(String what) throws IsakmpDecodeException {
        need(1, what);
        return buf[pos++] & 0xff;
    }

    int u16(String what) throws IsakmpDecodeException {
        need(2, what);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int u32(String what) throws IsakmpDecodeException {
        need(4, what);
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long u64(String what) throws IsakmpDecodeException {
        long hi = u32(what) & 0xffffffffL;
        long lo = u32(what) & 0xffffffffL;
        return (hi << 32) | lo;
    }

    byte[] bytes(int n, String what) throws IsakmpDecodeException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    byte[] rest() {
        byte[] out = new byte[limit - pos];
        System.arraycopy(buf, pos, out, 0, out.length);
        pos = limit;
        return out;
    }

    /** A reader over the next {@code n} bytes; this reader moves past them. */
    WireReader slice(int n, String what) throws IsakmpDecodeException {
        need(n, what);
        WireReader sub = new WireReader(buf, pos, n);
        pos += n;
        return sub;
    }
}
