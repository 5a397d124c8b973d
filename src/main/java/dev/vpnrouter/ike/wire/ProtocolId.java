package dev.vpnrouter.ike.wire;

/** Protocol identifiers of proposals, notifies and deletes (RFC 2407 4.4.1). */
public final class ProtocolId {
    public static final int ISAKMP = 1;
    public static final int IPSEC_AH = 2;
    public static final int IPSEC_ESP = 3;
    public static final int IPCOMP = 4;

    private static final Names NAMES = Names.of(ProtocolId.class);

    private ProtocolId() {
    }

    public static String name(int value) {
        return NAMES.name(value);
    }
}
