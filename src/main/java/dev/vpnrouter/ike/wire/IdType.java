package dev.vpnrouter.ike.wire;

/** Identification types of the IPsec DOI (RFC 2407 4.6.2.1). */
public final class IdType {
    public static final int IPV4_ADDR = 1;
    public static final int FQDN = 2;
    public static final int USER_FQDN = 3;
    public static final int IPV4_ADDR_SUBNET = 4;
    public static final int IPV6_ADDR = 5;
    public static final int IPV6_ADDR_SUBNET = 6;
    public static final int IPV4_ADDR_RANGE = 7;
    public static final int IPV6_ADDR_RANGE = 8;
    public static final int DER_ASN1_DN = 9;
    public static final int DER_ASN1_GN = 10;
    public static final int KEY_ID = 11;

    private static final Names NAMES = Names.of(IdType.class);

    private IdType() {
    }

    public static String name(int value) {
        return NAMES.name(value);
    }

    /** The fixed data length of an address type, or -1 when the data is variable or the type unknown. */
    public static int fixedLength(int idType) {
        return switch (idType) {
            case IPV4_ADDR -> 4;
            case IPV4_ADDR_SUBNET, IPV4_ADDR_RANGE -> 8;
            case IPV6_ADDR -> 16;
            case IPV6_ADDR_SUBNET, IPV6_ADDR_RANGE -> 32;
            default -> -1;
        };
    }
}
