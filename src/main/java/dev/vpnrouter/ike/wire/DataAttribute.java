package dev.vpnrouter.ike.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * An ISAKMP data attribute (RFC 2408 3.3), in TV form (AF bit set, 2-byte value) or TLV form (any length up to
 * 65535, including 0 as Mode Config requests use). The form is kept so a decoded attribute re-encodes byte for byte;
 * a peer may send a "variable" attribute such as a lifetime either way.
 *
 * @param type attribute type, 15 bits
 * @param tv   true for TV form, whose value is exactly 2 bytes
 * @param value the value bytes
 */
public record DataAttribute(int type, boolean tv, byte[] value) {

    public DataAttribute {
        Bytes.checkRange(type, 0x7fff, "attribute type");
        value = Bytes.copy(value, "value");
        if (tv && value.length != 2) {
            throw new IllegalArgumentException("a TV attribute value is 2 bytes, not " + value.length);
        }
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("attribute value too long: " + value.length);
        }
    }

    /** TV form: a 16-bit value. */
    public static DataAttribute tv(int type, int value) {
        Bytes.checkRange(value, 0xffff, "TV value");
        return new DataAttribute(type, true, new byte[] {(byte) (value >>> 8), (byte) value});
    }

    /** TLV form with the given bytes. */
    public static DataAttribute tlv(int type, byte[] value) {
        return new DataAttribute(type, false, value);
    }

    /** TLV form with no value: how Mode Config asks for an attribute. */
    public static DataAttribute empty(int type) {
        return new DataAttribute(type, false, new byte[0]);
    }

    /**
     * A numeric attribute in the shortest form peers accept: TV up to 65535, else TLV of 4 bytes (8 above 2^32).
     */
    public static DataAttribute number(int type, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative attribute value " + value);
        }
        if (value <= 0xffff) {
            return tv(type, (int) value);
        }
        int n = value <= 0xffffffffL ? 4 : 8;
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return tlv(type, b);
    }

    /** TLV form holding UTF-8 text (Xauth user name, Unity domain, banner...). */
    public static DataAttribute text(int type, String text) {
        return tlv(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** TLV form holding an IPv4 address (see {@link dev.vpnrouter.common.Ipv4}). */
    public static DataAttribute ipv4(int type, int address) {
        return tlv(type, dev.vpnrouter.common.Ipv4.toBytes(address));
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /**
     * The value as an unsigned big-endian number, empty when it does not fit 63 bits (e.g. a group prime) or is
     * empty.
     */
    public OptionalLong unsigned() {
        int start = 0;
        while (start < value.length && value[start] == 0) {
            start++;
        }
        if (value.length == 0 || value.length - start > 8 || (value.length - start == 8 && value[start] < 0)) {
            return OptionalLong.empty();
        }
        long v = 0;
        for (int i = start; i < value.length; i++) {
            v = (v << 8) | (value[i] & 0xff);
        }
        return OptionalLong.of(v);
    }

    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    int encodedLength() {
        return tv ? 4 : 4 + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataAttribute a && a.type == type && a.tv == tv && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return (type * 31 + (tv ? 1 : 0)) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "DataAttribute[type=" + type + (tv ? ", TV " : ", TLV ") + Bytes.hex(value) + "]";
    }
}
