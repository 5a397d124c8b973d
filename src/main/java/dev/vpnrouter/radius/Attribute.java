package dev.vpnrouter.radius;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One RADIUS attribute (RFC 2865 5): a type and up to 253 bytes of value. Vendor-Specific attributes (type 26)
 * carry a vendor id and the vendor's own type-length-value inside (Cisco-AVPair is vendor 9, type 1).
 */
public record Attribute(int type, byte[] value) {
    public static final int USER_NAME = 1;
    public static final int USER_PASSWORD = 2;
    public static final int NAS_IP_ADDRESS = 4;
    public static final int SERVICE_TYPE = 6;
    public static final int FRAMED_IP_ADDRESS = 8;
    public static final int REPLY_MESSAGE = 18;
    public static final int STATE = 24;
    public static final int CLASS = 25;
    public static final int VENDOR_SPECIFIC = 26;
    public static final int SESSION_TIMEOUT = 27;
    public static final int CALLING_STATION_ID = 31;
    public static final int NAS_IDENTIFIER = 32;
    public static final int ACCT_STATUS_TYPE = 40;
    public static final int ACCT_DELAY_TIME = 41;
    public static final int ACCT_INPUT_OCTETS = 42;
    public static final int ACCT_OUTPUT_OCTETS = 43;
    public static final int ACCT_SESSION_ID = 44;
    public static final int ACCT_SESSION_TIME = 46;
    public static final int ACCT_INPUT_PACKETS = 47;
    public static final int ACCT_OUTPUT_PACKETS = 48;
    public static final int ACCT_TERMINATE_CAUSE = 49;
    public static final int ACCT_INPUT_GIGAWORDS = 52;
    public static final int ACCT_OUTPUT_GIGAWORDS = 53;
    public static final int NAS_PORT_TYPE = 61;
    public static final int MESSAGE_AUTHENTICATOR = 80;
    public static final int FRAMED_POOL = 88;

    /** NAS-Port-Type Virtual (RFC 2865 5.41): a session over a tunnel, as IOS sends for IPsec. */
    public static final int NAS_PORT_TYPE_VIRTUAL = 5;
    /** Service-Type Outbound-User (RFC 2865 5.6): what IOS sends when it asks for a group's record. */
    public static final int SERVICE_TYPE_OUTBOUND = 5;
    public static final int VENDOR_CISCO = 9;
    public static final int CISCO_AVPAIR = 1;

    public static final int MAX_VALUE = 253;

    public Attribute {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("attribute type " + type);
        }
        if (value.length > MAX_VALUE) {
            throw new IllegalArgumentException("attribute " + type + " of " + value.length + " bytes, at most 253");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public static Attribute text(int type, String text) {
        return new Attribute(type, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Attribute integer(int type, long value) {
        return new Attribute(type, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
                (byte) value});
    }

    /** An IPv4 address (RFC 2865 "address"): four bytes, network order, the same encoding as an integer. */
    public static Attribute ipv4(int type, int address) {
        return integer(type, address & 0xffffffffL);
    }

    /** A Vendor-Specific attribute holding one vendor attribute (RFC 2865 5.26's suggested format). */
    public static Attribute vendor(int vendorId, int vendorType, byte[] data) {
        byte[] v = new byte[6 + data.length];
        v[0] = (byte) (vendorId >>> 24);
        v[1] = (byte) (vendorId >>> 16);
        v[2] = (byte) (vendorId >>> 8);
        v[3] = (byte) vendorId;
        v[4] = (byte) vendorType;
        v[5] = (byte) (2 + data.length);
        System.arraycopy(data, 0, v, 6, data.length);
        return new Attribute(VENDOR_SPECIFIC, v);
    }

    /** {@code Cisco-AVPair = "protocol:attribute=value"}. */
    public static Attribute ciscoAvPair(String pair) {
        return vendor(VENDOR_CISCO, CISCO_AVPAIR, pair.getBytes(StandardCharsets.UTF_8));
    }

    public String asText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The value as a 32-bit integer (or address); a value of another length is malformed. */
    public long asInteger() throws RadiusDecodeException {
        if (value.length != 4) {
            throw new RadiusDecodeException("attribute " + type + " has " + value.length + " bytes, an integer has 4");
        }
        return ((value[0] & 0xffL) << 24) | ((value[1] & 0xff) << 16) | ((value[2] & 0xff) << 8) | (value[3] & 0xff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribute a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        // Never print a value: User-Password and tunnel passwords must not reach a log through toString.
        return "Attribute[" + type + ", " + value.length + " bytes]";
    }
}
