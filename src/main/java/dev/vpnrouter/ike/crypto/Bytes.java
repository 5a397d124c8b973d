package dev.vpnrouter.ike.crypto;

import java.math.BigInteger;

/** Fixed-length big-endian conversions shared by the DH groups and the key derivation. */
final class Bytes {
    private Bytes() {
    }

    /** {@code value} as exactly {@code length} big-endian bytes, left-padded with zeros. */
    static byte[] fixedLength(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        if (raw.length == length) {
            return raw;
        }
        byte[] out = new byte[length];
        if (raw.length > length) {
            // toByteArray adds a sign byte when the top bit is set; anything else is a bug.
            int extra = raw.length - length;
            for (int i = 0; i < extra; i++) {
                if (raw[i] != 0) {
                    throw new IllegalArgumentException("value does not fit in " + length + " bytes");
                }
            }
            System.arraycopy(raw, extra, out, 0, length);
        } else {
            System.arraycopy(raw, 0, out, length - raw.length, raw.length);
        }
        return out;
    }

    static BigInteger unsigned(byte[] bytes, int offset, int length) {
        return new BigInteger(1, bytes, offset, length);
    }

    static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
